// A council's open sites and the services they offer as an Open Referral UK feed (HSDS 3.0, UK profile;
// data/standards/open-referral-uk/), so that the council's family-services directory can take them:
// one service per kind of service the open sites offer, provided by the council, at each open site
// that offers it. Ids are UUIDs made from what they name, so a directory's pulls keep matching.
import { createHash } from 'node:crypto';
import type { ServiceKind } from './types.js';

export const openReferralVersion = '3.0';
export const openReferralProfile = 'https://github.com/OpenReferralUK/uk-profile';

const serviceNames: Record<ServiceKind, string> = {
  antenatal: 'Antenatal care and classes',
  postnatal: 'Postnatal care',
  health_visiting: 'Health visiting',
  stay_and_play: 'Stay and play',
  parenting_support: 'Parenting support',
  employment_advice: 'Employment and training advice',
  childcare: 'Childcare',
  speech_and_language: 'Speech and language support',
  family_support: 'Family support',
  other: "Other children's centre services",
};

export interface ReferralCouncil {
  id: string;
  name: string;
}
export interface ReferralSite {
  id: string;
  name: string;
  status: 'open' | 'closed';
  lat: number;
  lon: number;
  postcode: string | null;
  address: string | null;
  openingHoursPerWeek: number;
  services: readonly ServiceKind[];
  updatedAt: Date;
}

/** A UUID (version 5 layout) from the names given: the same names, the same id. */
export function nameBasedId(...names: string[]): string {
  const hex = createHash('sha1').update(names.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const openReferralServiceId = (councilId: string, kind: ServiceKind) => nameBasedId('open-referral-service', councilId, kind);

function organization(council: ReferralCouncil) {
  return {
    id: council.id,
    name: council.name,
    description: `${council.name}: children's centres and family hubs`,
  };
}

function location(council: ReferralCouncil, site: ReferralSite) {
  return {
    id: site.id,
    location_type: 'physical' as const,
    name: site.name,
    description: `Open ${site.openingHoursPerWeek} hours a week`,
    latitude: site.lat,
    longitude: site.lon,
    addresses: site.postcode
      ? [
          {
            id: nameBasedId('open-referral-address', site.id),
            location_id: site.id,
            address_1: site.address ?? site.name,
            city: council.name,
            state_province: 'England',
            postal_code: site.postcode,
            country: 'GB' as const,
            address_type: 'physical' as const,
          },
        ]
      : [],
  };
}

/** The services the council's open sites offer, each with its sites, in the order of serviceNames. */
export function openReferralServices(council: ReferralCouncil, sites: readonly ReferralSite[]) {
  const open = sites.filter((site) => site.status === 'open');
  return (Object.keys(serviceNames) as ServiceKind[]).flatMap((kind) => {
    const offering = open.filter((site) => site.services.includes(kind));
    if (offering.length === 0) return [];
    const id = openReferralServiceId(council.id, kind);
    const lastModified = new Date(Math.max(...offering.map((site) => site.updatedAt.getTime())));
    return [
      {
        id,
        organization_id: council.id,
        name: serviceNames[kind],
        description: `${serviceNames[kind]} at ${offering.length} of ${council.name}'s children's centres and family hubs`,
        status: 'active' as const,
        last_modified: lastModified.toISOString(),
        organization: organization(council),
        service_at_locations: offering.map((site) => ({
          id: nameBasedId('open-referral-service-at-location', id, site.id),
          service_id: id,
          location_id: site.id,
          location: location(council, site),
        })),
      },
    ];
  });
}

export type OpenReferralService = ReturnType<typeof openReferralServices>[number];

/** A service as listed in a page: its one-to-one fields only (no service_at_locations). */
export function listedService({ service_at_locations: _, ...listed }: OpenReferralService) {
  return listed;
}

/** An HSDS page of `items`: page numbers from 1. */
export function openReferralPage<T>(items: readonly T[], page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const contents = items.slice((page - 1) * perPage, page * perPage);
  return {
    total_items: items.length,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
