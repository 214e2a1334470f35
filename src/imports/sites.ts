import { z } from 'zod';
import { serviceKinds, siteRoles, siteStatuses, type ServiceKind, type SiteRole, type SiteStatus } from '../domain/types.js';
import { runFromHub } from '../domain/network-rules.js';
import { BNG_BOUNDS, bngToWgs84 } from './bng.js';
import { decimal, latitude, listOf, longitude, oneOf, optional, pence, postcode, required, text, urn } from './cells.js';
import type { CsvSource } from './csv.js';
import type { RowIssue } from './report.js';
import {
  headerLookup,
  parseRows,
  rejectRepeats,
  siteReference,
  templateFormat,
  zodIssues,
  type ChooseFormat,
  type ParseOptions,
  type RowFormat,
  type RowStream,
  type SiteKey,
} from './rows.js';

export interface SiteImportRow {
  name: string;
  /** DfE unique reference number; null when the site has none. */
  urn: string | null;
  postcode: string | null;
  address: string | null;
  role: SiteRole;
  /** A spoke's hub: a site earlier or later in the same file, or already in the council's network. */
  hub: SiteKey | null;
  status: SiteStatus;
  lat: number;
  lon: number;
  // Undefined when the file leaves them out: an update keeps the stored figures, a new site takes
  // the API's defaults (0 hours, no services, no costs).
  openingHoursPerWeek?: number;
  services?: ServiceKind[];
  annualPremisesCostPence?: number;
  annualRunningCostPence?: number;
}

export const siteTemplateColumns = [
  'name',
  'urn',
  'role',
  'hubUrn',
  'hubName',
  'status',
  'lat',
  'lon',
  'postcode',
  'address',
  'openingHoursPerWeek',
  'services',
  'annualPremisesCostPence',
  'annualRunningCostPence',
] as const;

// Cells that read the same in our template and, under the same names, in a register file.
const sharedCells = {
  name: required(text(200)),
  urn: optional(urn),
  postcode: optional(postcode),
  role: optional(oneOf(siteRoles)),
  hubUrn: optional(urn),
  hubName: optional(text(200)),
  openingHoursPerWeek: optional(decimal({ min: 0, max: 168, decimals: 2 })),
  services: optional(listOf(serviceKinds)),
  annualPremisesCostPence: optional(pence),
  annualRunningCostPence: optional(pence),
};

type SharedCells = z.infer<z.ZodObject<typeof sharedCells>>;

/** The checks across cells, and the row itself. Rows without role information are standalone. */
function siteRow(
  cells: SharedCells & { status: SiteStatus; lat: number; lon: number; address: string | null },
  ctx: z.RefinementCtx,
  columns: { name: string; postcode: string },
): SiteImportRow {
  const role = cells.role ?? 'standalone';
  const hubCells = { urn: cells.hubUrn, name: cells.hubName };
  const hub = siteReference(ctx, { urn: 'hubUrn', name: 'hubName' }, hubCells, runFromHub(role));
  if (!runFromHub(role) && hub) {
    ctx.addIssue({ code: 'custom', path: ['hubUrn' in hub ? 'hubUrn' : 'hubName'], message: 'only a spoke or a venue names a hub' });
  }
  if (cells.urn === undefined && cells.postcode === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['postcode'],
      message: `is required when there is no URN: a site is matched by URN, or else by ${columns.name} and ${columns.postcode}`,
    });
  }
  return {
    name: cells.name,
    urn: cells.urn ?? null,
    postcode: cells.postcode ?? null,
    address: cells.address,
    role,
    hub,
    status: cells.status,
    lat: cells.lat,
    lon: cells.lon,
    openingHoursPerWeek: cells.openingHoursPerWeek,
    services: cells.services,
    annualPremisesCostPence: cells.annualPremisesCostPence,
    annualRunningCostPence: cells.annualRunningCostPence,
  };
}

const templateSchema = z
  .object({
    ...sharedCells,
    status: optional(oneOf(siteStatuses)),
    lat: required(latitude),
    lon: required(longitude),
    address: optional(text(500)),
  })
  .transform((cells, ctx) =>
    siteRow({ ...cells, status: cells.status ?? 'open', address: cells.address ?? null }, ctx, {
      name: 'name',
      postcode: 'postcode',
    }),
  );

// ---- The DfE register (Get Information about Schools) -------------------------------------------

/** Register columns read, by our field name. Other register columns are ignored. */
const registerColumns = {
  urn: 'URN',
  name: 'EstablishmentName',
  postcode: 'Postcode',
  type: 'TypeOfEstablishment (name)',
  status: 'EstablishmentStatus (name)',
  street: 'Street',
  locality: 'Locality',
  address3: 'Address3',
  town: 'Town',
  easting: 'Easting',
  northing: 'Northing',
  latitude: 'Latitude',
  longitude: 'Longitude',
} as const;

const requiredRegisterColumns = ['urn', 'name', 'type', 'status'] as const;

const GIVE_POSITION = 'give Easting and Northing, or Latitude and Longitude';

const normaliseRegisterText = (value: string): string =>
  value
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .toLowerCase();

const registerTypes = ["children's centre", "children's centre linked site"];

const registerType = z.string().refine((value) => registerTypes.includes(normaliseRegisterText(value)), {
  message: "must be Children's Centre or Children's Centre Linked Site: filter the register to children's centres",
});

/** "Open, but proposed to close" is still open. */
const registerStatus = z.string().transform((value, ctx): SiteStatus => {
  const status = normaliseRegisterText(value);
  if (status === 'open' || status === 'open, but proposed to close') return 'open';
  if (status === 'closed') return 'closed';
  ctx.addIssue({ code: 'custom', message: 'must be Open, Closed or "Open, but proposed to close"' });
  return z.NEVER;
});

const registerCells = z.object({
  ...sharedCells,
  type: required(registerType),
  status: required(registerStatus),
  street: optional(text(200)),
  locality: optional(text(200)),
  address3: optional(text(200)),
  town: optional(text(200)),
  easting: optional(decimal({ min: 0, max: BNG_BOUNDS.maxEasting })),
  northing: optional(decimal({ min: 0, max: BNG_BOUNDS.maxNorthing })),
  latitude: optional(latitude),
  longitude: optional(longitude),
});

const registerSchema = registerCells.transform((cells, ctx) => {
  const position = registerPosition(cells, ctx);
  const parts = [cells.street, cells.locality, cells.address3, cells.town].filter((part) => part !== undefined);
  const address = [...new Set(parts)].join(', ') || null;
  return siteRow({ ...cells, ...position, address }, ctx, {
    name: registerColumns.name,
    postcode: registerColumns.postcode,
  });
});

/** Latitude/longitude as given, or else converted from the register's Easting/Northing. */
function registerPosition(
  cells: { easting?: number; northing?: number; latitude?: number; longitude?: number },
  ctx: z.RefinementCtx,
): { lat: number; lon: number } {
  if (cells.latitude !== undefined && cells.longitude !== undefined) return { lat: cells.latitude, lon: cells.longitude };
  if (cells.easting !== undefined && cells.northing !== undefined) {
    return bngToWgs84({ easting: cells.easting, northing: cells.northing });
  }
  ctx.addIssue({ code: 'custom', path: ['easting'], message: `is required: ${GIVE_POSITION}` });
  return { lat: NaN, lon: NaN };
}

function registerFormat(header: readonly string[]): RowFormat<SiteImportRow> | RowIssue[] {
  const present = headerLookup(header);
  // Our own optional columns (role, hubUrn, ...) are honoured in a register file too.
  const columnOf = (field: string): string => registerColumns[field as keyof typeof registerColumns] ?? field;
  const actualColumn = (field: string): string | undefined => present.get(columnOf(field).toLowerCase());
  const missing = requiredRegisterColumns.map((field) => registerColumns[field]).filter((column) => !present.has(column.toLowerCase()));
  const hasPosition = ['easting', 'northing'].every(actualColumn) || ['latitude', 'longitude'].every(actualColumn);
  const issues: RowIssue[] = missing.map((column) => ({
    column,
    reason: 'is a required column of a register file and is missing',
  }));
  if (!hasPosition) issues.push({ column: registerColumns.easting, reason: `is missing: ${GIVE_POSITION}` });
  if (issues.length > 0) return issues;
  const fields = Object.keys(registerCells.shape);
  return {
    name: 'dfe-register',
    parseRow(values) {
      const cells = Object.fromEntries(fields.map((field) => [field, values[actualColumn(field) ?? ''] ?? '']));
      const parsed = registerSchema.safeParse(cells);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error, columnOf) };
    },
  };
}

const chooseTemplate = templateFormat('sites', siteTemplateColumns, ['name', 'lat', 'lon'], templateSchema);

/** A register file is recognised by its EstablishmentName column; anything else is our template. */
const chooseSiteFormat: ChooseFormat<SiteImportRow> = (header) => {
  const isRegister = headerLookup(header).has(registerColumns.name.toLowerCase());
  const chosen = isRegister ? registerFormat(header) : chooseTemplate(header);
  if (Array.isArray(chosen)) return chosen;
  const columns = isRegister ? registerColumns : { urn: 'urn', name: 'name' };
  return rejectRepeats(chosen, (site) =>
    site.urn !== null ? { key: `urn:${site.urn}`, column: columns.urn } : { key: `name:${site.name.toLowerCase()}|${site.postcode}`, column: columns.name },
  );
};

/**
 * Sites from our template or from a DfE register extract (told apart by the header). A site is
 * matched by URN, or by name and postcode when it has none; a row repeating an earlier row's key is
 * an error. Register rows are standalone unless the file has our role/hubUrn/hubName columns.
 */
export function parseSites(source: CsvSource, options?: ParseOptions): RowStream<SiteImportRow> {
  return parseRows(source, chooseSiteFormat, options);
}
