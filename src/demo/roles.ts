// How the councils' centre lists (the DfE register extracts behind fixtures/, see fixtures/README.md) become a hub-and-spoke network (fixtures/README.md,
// "Roles"). The lists say what each venue is (kind); they do not say who manages whom.
import { haversineM, type LatLon } from '../domain/geo.js';
import type { SiteRole } from '../domain/types.js';

/** The `kind` column of the centre lists (fixtures/README.md). */
export type CentreKind = 'children_centre' | 'linked_site' | 'family_hub' | 'other';

export interface Centre extends LatLon {
  name: string;
  kind: CentreKind;
}

export interface RoleAssignment {
  role: SiteRole;
  /** A spoke's hub. */
  hubName: string | null;
  /** Which rule applied, for the README's table. */
  rule: string;
}

/** A linked site named "Formerly … Children's Centre" was a centre in its own right. */
export const isFormerCentre = (name: string): boolean => /^formerly\b/i.test(name);

const isSatellite = (name: string): boolean => /\bsatellite\b/i.test(name);

/** "Hall Green Family Hub Satellite …" -> "hall green": the family hub's district. */
const familyHubDistrict = (name: string): string | undefined => /^(.*?)\s+family hub\b/i.exec(name)?.[1]?.toLowerCase();

/** The nearest of the candidates, with its distance in metres. */
export function nearest<T extends LatLon>(from: LatLon, candidates: readonly T[]): { site: T; distanceM: number } | null {
  let best: { site: T; distanceM: number } | null = null;
  for (const site of candidates) {
    const distanceM = haversineM(from, site);
    if (!best || distanceM < best.distanceM) best = { site, distanceM };
  }
  return best;
}

/**
 * Roles, in order of precedence:
 * - a family hub is a hub, unless its name says it is a satellite;
 * - a family hub satellite is a spoke of its district's hub ("Ladywood Family Hub Satellite …" of
 *   "Ladywood Family Hub …"), or of the nearest hub when the district has none;
 * - a "Formerly …" linked site is standalone, with its own management, as before the 2012 decision;
 * - any other linked site is a spoke of the nearest hub;
 * - a children's centre (or anything else) is standalone.
 * Without any hub there are no spokes: every site is standalone.
 */
export function assignRoles(centres: readonly Centre[]): Map<string, RoleAssignment> {
  const hubs = centres.filter((centre) => centre.kind === 'family_hub' && !isSatellite(centre.name));
  const spokeOf = (centre: Centre, candidates: readonly Centre[], rule: string): RoleAssignment => {
    const hub = nearest(centre, candidates);
    return hub ? { role: 'spoke', hubName: hub.site.name, rule } : { role: 'standalone', hubName: null, rule: `${rule}; no hub` };
  };
  const assign = (centre: Centre): RoleAssignment => {
    if (centre.kind === 'family_hub' && !isSatellite(centre.name)) return { role: 'hub', hubName: null, rule: 'family hub' };
    if (centre.kind === 'family_hub') {
      const district = familyHubDistrict(centre.name);
      const districtHubs = hubs.filter((hub) => familyHubDistrict(hub.name) === district);
      return districtHubs.length > 0
        ? spokeOf(centre, districtHubs, "family hub satellite: its district's hub")
        : spokeOf(centre, hubs, 'family hub satellite: nearest hub');
    }
    if (centre.kind === 'linked_site' && isFormerCentre(centre.name)) {
      return { role: 'standalone', hubName: null, rule: '"Formerly …" linked site: its own management' };
    }
    if (centre.kind === 'linked_site') return spokeOf(centre, hubs, 'linked site: nearest hub');
    return { role: 'standalone', hubName: null, rule: "children's centre: its own management" };
  };
  return new Map(centres.map((centre) => [centre.name, assign(centre)]));
}
