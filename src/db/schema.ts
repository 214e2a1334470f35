import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ServiceKind } from '../domain/types.js';

// Millisecond precision so that a timestamp read into a JS Date compares equal in pagination cursors.
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  version: integer('version').notNull().default(1),
};
const id = () => uuid('id').primaryKey().defaultRandom();
const pence = (name: string) => bigint(name, { mode: 'number' });
/**
 * FTE that may be null, as numeric(8, 4) read as a number. Drizzle's numeric maps a null placeholder
 * to the text 'null' (the single-statement creates are prepared with placeholders), so this maps null
 * to null.
 */
const nullableFte = customType<{ data: number | null; driverData: string | null }>({
  dataType: () => 'numeric(8, 4)',
  toDriver: (value) => (value === null ? null : String(value)),
  fromDriver: (value) => (value === null ? null : Number(value)),
});

export const councils = pgTable('councils', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  ...timestamps,
});

export const sites = pgTable(
  'sites',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    urn: text('urn'),
    role: text('role', { enum: ['hub', 'spoke', 'standalone', 'venue'] }).notNull(),
    hubId: uuid('hub_id'),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    postcode: text('postcode'),
    address: text('address'),
    openingHoursPerWeek: numeric('opening_hours_per_week', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
    services: text('services').array().$type<ServiceKind[]>().notNull().default(sql`'{}'::text[]`),
    annualPremisesCostPence: pence('annual_premises_cost_pence').notNull().default(0),
    annualRunningCostPence: pence('annual_running_cost_pence').notNull().default(0),
    // Capital grant the Department for Education may claw back if the site stops being a centre.
    capitalClawbackPence: pence('capital_clawback_pence').notNull().default(0),
    capitalGrantDate: date('capital_grant_date', { mode: 'string' }),
    clawbackProbability: doublePrecision('clawback_probability').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    unique('sites_council_id_id_key').on(t.councilId, t.id),
    unique('sites_council_urn_key').on(t.councilId, t.urn),
    // A spoke's hub must belong to the same council: enforced by the composite key.
    foreignKey({ name: 'sites_hub_fk', columns: [t.councilId, t.hubId], foreignColumns: [t.councilId, t.id] }),
    index('sites_council_order_idx').on(t.councilId, t.createdAt, t.id),
    index('sites_hub_idx').on(t.hubId),
    check('sites_role_check', sql`${t.role} in ('hub', 'spoke', 'standalone', 'venue')`),
    check('sites_status_check', sql`${t.status} in ('open', 'closed')`),
    check('sites_hub_iff_run_from_hub', sql`(${t.role} in ('spoke', 'venue')) = (${t.hubId} is not null)`),
    check('sites_not_own_hub', sql`${t.hubId} is null or ${t.hubId} <> ${t.id}`),
    check('sites_lat_range', sql`${t.lat} between -90 and 90`),
    check('sites_lon_range', sql`${t.lon} between -180 and 180`),
    check('sites_hours_range', sql`${t.openingHoursPerWeek} between 0 and 168`),
    check('sites_costs_non_negative', sql`${t.annualPremisesCostPence} >= 0 and ${t.annualRunningCostPence} >= 0`),
    check('sites_clawback_non_negative', sql`${t.capitalClawbackPence} >= 0`),
    check('sites_clawback_probability_range', sql`${t.clawbackProbability} between 0 and 1`),
  ],
);

export const posts = pgTable(
  'posts',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').notNull(),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['management', 'frontline', 'admin'] }).notNull(),
    fte: numeric('fte', { precision: 8, scale: 4, mode: 'number' }).notNull(),
    annualCostPerFtePence: pence('annual_cost_per_fte_pence').notNull(),
    ...timestamps,
  },
  (t) => [
    foreignKey({ name: 'posts_site_fk', columns: [t.councilId, t.siteId], foreignColumns: [sites.councilId, sites.id] }),
    index('posts_council_order_idx').on(t.councilId, t.createdAt, t.id),
    index('posts_site_idx').on(t.siteId),
    check('posts_kind_check', sql`${t.kind} in ('management', 'frontline', 'admin')`),
    check('posts_fte_positive', sql`${t.fte} > 0`),
    check('posts_cost_non_negative', sql`${t.annualCostPerFtePence} >= 0`),
  ],
);

export const incomeStreams = pgTable(
  'income_streams',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    partner: text('partner').notNull(),
    kind: text('kind', { enum: ['health_contract', 'lettings', 'grant', 'childcare_fees', 'other'] }).notNull(),
    annualValuePence: pence('annual_value_pence').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    siteId: uuid('site_id'),
    requiresSiteOpen: boolean('requires_site_open').notNull().default(false),
    // Chance the contract is renewed on the same terms after its end date (expected values).
    renewalProbability: doublePrecision('renewal_probability').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    foreignKey({
      name: 'income_streams_site_fk',
      columns: [t.councilId, t.siteId],
      foreignColumns: [sites.councilId, sites.id],
    }),
    index('income_streams_council_order_idx').on(t.councilId, t.createdAt, t.id),
    index('income_streams_site_idx').on(t.siteId),
    check('income_streams_kind_check', sql`${t.kind} in ('health_contract', 'lettings', 'grant', 'childcare_fees', 'other')`),
    check('income_streams_value_non_negative', sql`${t.annualValuePence} >= 0`),
    check('income_streams_dates_ordered', sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check('income_streams_site_when_required', sql`not ${t.requiresSiteOpen} or ${t.siteId} is not null`),
    check('income_streams_renewal_probability_range', sql`${t.renewalProbability} between 0 and 1`),
  ],
);

export const centralCosts = pgTable(
  'central_costs',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    category: text('category', { enum: ['back_office', 'central_management', 'commissioning', 'other'] }).notNull(),
    fte: nullableFte('fte'),
    annualCostPerFtePence: pence('annual_cost_per_fte_pence'),
    annualBudgetPence: pence('annual_budget_pence'),
    ...timestamps,
  },
  (t) => [
    index('central_costs_council_order_idx').on(t.councilId, t.createdAt, t.id),
    check('central_costs_category_check', sql`${t.category} in ('back_office', 'central_management', 'commissioning', 'other')`),
    // A post (FTE and cost per FTE) or a budget line (an amount), never both.
    check(
      'central_costs_post_or_budget',
      sql`(${t.fte} is not null and ${t.fte} > 0 and ${t.annualCostPerFtePence} >= 0 and ${t.annualBudgetPence} is null) or (${t.fte} is null and ${t.annualCostPerFtePence} is null and ${t.annualBudgetPence} >= 0)`,
    ),
  ],
);

export const areas = pgTable(
  'areas',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    under5Population: integer('under5_population').notNull(),
    deprivationDecile: smallint('deprivation_decile').notNull(),
    idaciDecile: smallint('idaci_decile'),
    ...timestamps,
  },
  (t) => [
    unique('areas_council_code_key').on(t.councilId, t.code),
    index('areas_council_order_idx').on(t.councilId, t.createdAt, t.id),
    check('areas_under5_non_negative', sql`${t.under5Population} >= 0`),
    check('areas_decile_range', sql`${t.deprivationDecile} between 1 and 10`),
    check('areas_idaci_decile_range', sql`${t.idaciDecile} is null or ${t.idaciDecile} between 1 and 10`),
    check('areas_lat_range', sql`${t.lat} between -90 and 90`),
    check('areas_lon_range', sql`${t.lon} between -180 and 180`),
  ],
);

/** Outcomes for children a council values in its economic case (outcomes-model.md). */
export const outcomes = pgTable(
  'outcomes',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sourceRef: text('source_ref').notNull(),
    priceYear: text('price_year').notNull(),
    illustrative: boolean('illustrative').notNull().default(false),
    cohortBasis: text('cohort_basis', { enum: ['births', 'under5s', 'deprived_under5s', 'households'] }).notNull(),
    under5sPerHousehold: doublePrecision('under5s_per_household'),
    engagementRate: doublePrecision('engagement_rate').notNull(),
    impactRate: doublePrecision('impact_rate').notNull(),
    impactRateLow: doublePrecision('impact_rate_low'),
    impactRateHigh: doublePrecision('impact_rate_high'),
    deadweight: doublePrecision('deadweight').notNull().default(0),
    attribution: doublePrecision('attribution').notNull().default(1),
    optimismBias: doublePrecision('optimism_bias').notNull().default(0),
    lagYears: integer('lag_years').notNull().default(0),
    durationYears: integer('duration_years').notNull().default(1),
    dropOff: doublePrecision('drop_off').notNull().default(0),
    fiscalValuePence: pence('fiscal_value_pence').notNull().default(0),
    economicValuePence: pence('economic_value_pence').notNull().default(0),
    socialValuePence: pence('social_value_pence').notNull().default(0),
    priceUplift: doublePrecision('price_uplift').notNull().default(1),
    agency: text('agency').notNull(),
    cashability: doublePrecision('cashability').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    unique('outcomes_council_name_key').on(t.councilId, t.name),
    index('outcomes_council_order_idx').on(t.councilId, t.createdAt, t.id),
    check('outcomes_cohort_basis_check', sql`${t.cohortBasis} in ('births', 'under5s', 'deprived_under5s', 'households')`),
    check(
      'outcomes_rates_range',
      sql`least(${t.engagementRate}, ${t.impactRate}, ${t.deadweight}, ${t.attribution}, ${t.optimismBias}, ${t.dropOff}, ${t.cashability}) >= 0 and greatest(${t.engagementRate}, ${t.impactRate}, ${t.deadweight}, ${t.attribution}, ${t.optimismBias}, ${t.dropOff}, ${t.cashability}) <= 1`,
    ),
    check('outcomes_years_range', sql`${t.lagYears} >= 0 and ${t.durationYears} >= 1`),
    check('outcomes_values_non_negative', sql`${t.fiscalValuePence} >= 0 and ${t.economicValuePence} >= 0 and ${t.socialValuePence} >= 0`),
  ],
);

export const scenarios = pgTable(
  'scenarios',
  {
    id: id(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => councils.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    parameters: jsonb('parameters').notNull().default({}),
    actions: jsonb('actions').notNull().default([]),
    ...timestamps,
  },
  (t) => [index('scenarios_council_order_idx').on(t.councilId, t.createdAt, t.id)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    // Null for an administrator key, which may create councils and keys.
    councilId: uuid('council_id').references(() => councils.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    // SHA-256 of the whole key: keys carry 160 random bits, so a fast hash without salt is safe.
    hash: text('hash').notNull().unique(),
    readOnly: boolean('read_only').notNull().default(false),
    createdAt: timestamps.createdAt,
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('api_keys_council_idx').on(t.councilId, t.createdAt, t.id)],
);

export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    // Who sent it: an api key id, or 'config-admin' for the configured administrator key.
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    // Null while the first request with this key is in progress (see src/http/idempotency.ts).
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers'),
    responseBody: text('response_body'),
    // Kept instead of the body by a create made in one statement (the database cannot make the body's
    // text): the row as the API shows it, which a replay serialises as the route does.
    responseRow: jsonb('response_row'),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    // No foreign key: the trail outlives what it describes.
    councilId: uuid('council_id'),
    actor: text('actor').notNull(),
    action: text('action', { enum: ['create', 'update', 'delete'] }).notNull(),
    resource: text('resource').notNull(),
    resourceId: uuid('resource_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    createdAt: timestamps.createdAt,
  },
  (t) => [index('audit_events_council_idx').on(t.councilId, t.createdAt, t.id)],
);

// Requests counted per rate-limit bucket and fixed window, shared by every instance on the database
// (src/http/rate-limit.ts). Unlogged: counts of the current minute are not worth a crash-safe write.
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    bucket: text('bucket').notNull(),
    window: bigint('window', { mode: 'number' }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.window] })],
);

// Signed-in browsers of the planner's pages and the one-time links that sign one in (src/http/page-sessions.ts),
// by the SHA-256 of their token, kept in the database so that every instance knows them. They hold the
// hash of the key that made them, never the key.
export const pageTokens = pgTable(
  'page_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    kind: text('kind', { enum: ['session', 'link'] }).notNull(),
    keyHash: text('key_hash').notNull(),
    // The page a link opens.
    target: text('target'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('page_tokens_expires_idx').on(t.expiresAt)],
);
