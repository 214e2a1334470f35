// Positions: a site's place in the network's list of sites, and an area's in the prepared network's
// list of areas (in spatial order: prepared.ts), index every per-site and per-area array of the
// evaluation. They are not ids (ids are UUIDs): the types keep the two apart, and the two kinds of
// position apart from each other. Also the per-position arrays made straight from the records.
import type { PlanningWarning } from '../schemas/scenario.js';
import { serviceKinds, type Area, type ServiceKind, type Site } from './types.js';

declare const sitePosition: unique symbol;
declare const areaPosition: unique symbol;
/** A site's place in network.sites, and in every per-site array. */
export type SitePosition = number & { readonly [sitePosition]: true };
/** An area's place in the prepared network's areas (spatial order), and in every per-area array. */
export type AreaPosition = number & { readonly [areaPosition]: true };

export type AffectedAreas = Omit<Extract<PlanningWarning, { code: 'service_lost' }>['evidence'], 'service'>;
export type AffectedArea = AffectedAreas['areas'][number];

/** 1 for each open site, in network order. */
export function openSiteMask(sites: readonly Site[]): Uint8Array {
  const mask = new Uint8Array(sites.length);
  for (let position = 0; position < sites.length; position++) mask[position] = sites[position]!.status === 'open' ? 1 : 0;
  return mask;
}

export function deprivedAreaMask(areas: readonly Area[], deprivedDeciles: readonly number[]): Uint8Array {
  const mask = new Uint8Array(areas.length);
  for (let position = 0; position < areas.length; position++) mask[position] = deprivedDeciles.includes(areas[position]!.deprivationDecile) ? 1 : 0;
  return mask;
}

const serviceBit = new Map(serviceKinds.map((service, bit) => [service, 1 << bit]));

/** Services as bits, so that what an area is offered is one integer. */
export function serviceBits(services: readonly ServiceKind[]): number {
  let bits = 0;
  for (const service of services) bits |= serviceBit.get(service)!;
  return bits;
}

/**
 * An area as evidence. One summary an area, made with the prepared network in one pass over the areas
 * (2–3 ms for 30,000; made one at a time as warnings first named them, in scattered order, they took
 * several times that) and shared by every warning and evaluation that names it (results are never
 * changed): a national scenario names tens of thousands.
 */
export const areaSummary = ({ id, code, name, under5Population, deprivationDecile }: Area): AffectedArea => ({
  areaId: id,
  code,
  name,
  under5Population,
  deprivationDecile,
});
