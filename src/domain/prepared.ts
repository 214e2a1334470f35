// What every evaluation of one network shares, whatever the scenario: the network's records by id, the
// site index, the areas' unit vectors and each area's nearest open site, plus results worked out when
// first needed (the baseline's figures, cluster warnings and line items, each site's neighbours), kept
// by a key of the parameters they depend on. Made once per network object and kept while the object
// lives: a network is a value that nothing changes, and the service keeps one per council and network
// version, so every scenario and comparison on that version starts from here instead of from nothing.
import { groupBy, groupPositions, type PositionsByKey } from './collections.js';
import { sitesById, type SitesById } from './network.js';
import { areaSummary, openSiteMask, serviceBits, type AffectedArea } from './positions.js';
import {
  buildPointIndex,
  nearestPoints,
  neighbourhoods,
  spatialOrder,
  withUnitVectors,
  type Neighbourhoods,
  type NearestPoints,
  type PointIndex,
  type UnitPoints,
} from './spatial.js';
import type { Area, IncomeStream, Network, Post } from './types.js';

/**
 * A network's records by id and by site: what applying actions looks up, and what a scenario changes
 * only a few entries of. Cheap to make (no geometry), so applying actions alone makes just this.
 */
export interface NetworkIndex {
  readonly sites: SitesById;
  /** Each site's position in the network's list. */
  readonly sitePositions: ReadonlyMap<string, number>;
  /** Posts by site id, each list in network order. */
  readonly postsBySite: ReadonlyMap<string, readonly Post[]>;
  readonly incomeStreams: ReadonlyMap<string, IncomeStream>;
  /** Each income stream's position in the network's list. */
  readonly incomePositions: ReadonlyMap<string, number>;
  /** Ids of the income streams tied to each site, in network order. */
  readonly incomeIdsBySite: ReadonlyMap<string, readonly string[]>;
}

const networkIndexes = new WeakMap<Network, NetworkIndex>();

export function indexNetwork(network: Network): NetworkIndex {
  let index = networkIndexes.get(network);
  if (!index) {
    const incomeIdsBySite = new Map<string, string[]>();
    for (const [siteId, streams] of groupBy(network.incomeStreams, (stream) => stream.siteId)) {
      if (siteId !== null)
        incomeIdsBySite.set(
          siteId,
          streams.map((stream) => stream.id),
        );
    }
    index = {
      sites: sitesById(network.sites),
      sitePositions: new Map(network.sites.map((site, position) => [site.id, position])),
      postsBySite: groupBy(network.posts, (post) => post.siteId),
      incomeStreams: new Map(network.incomeStreams.map((stream) => [stream.id, stream])),
      incomePositions: new Map(network.incomeStreams.map((stream, position) => [stream.id, position])),
      incomeIdsBySite,
    };
    networkIndexes.set(network, index);
  }
  return index;
}

export interface PreparedNetwork extends NetworkIndex {
  readonly network: Network;
  readonly siteIndex: PointIndex;
  /**
   * The network's areas in a spatial order (spatialOrder), which every per-area array here follows: an
   * area's position (AreaPosition) is its place in this list. Areas near each other then sit near each other in memory, so
   * the searches around a site read a few runs of memory rather than scattered entries (with 300,000
   * areas listed in no spatial order, evaluations took about a third longer).
   */
  readonly areas: readonly Area[];
  /** Each area's place in network.areas, by its position here (AreaPosition); evidence lists areas in that order. */
  readonly networkOrderOf: Int32Array;
  /** The area's position here (AreaPosition) of each place in network.areas. */
  readonly areaAtNetworkOrder: Int32Array;
  readonly areaPoints: UnitPoints;
  /** Each area's under-5s, by position. */
  readonly under5s: Float64Array;
  /** 1 for each open site, in network order. */
  readonly open: Uint8Array;
  /** Each site's services as bits (serviceBits), in network order: no action changes them. */
  readonly siteServices: Uint16Array;
  /** Each area's nearest open site. */
  readonly nearest: NearestPoints;
  /** Area ids grouped by nearest open site. */
  readonly areasByNearest: PositionsByKey;
  /** Each area as evidence in warnings (areaSummary in positions.ts). */
  readonly areaSummaries: readonly AffectedArea[];
  /** Results that also depend on parameters, by key; see `derived`. */
  readonly derivedResults: Map<DerivedKey<unknown>, unknown>;
}

const preparedNetworks = new WeakMap<Network, PreparedNetwork>();

export function prepareNetwork(network: Network): PreparedNetwork {
  let prepared = preparedNetworks.get(network);
  if (!prepared) {
    const siteIndex = buildPointIndex(network.sites);
    const networkOrderOf = spatialOrder(network.areas);
    const areas = Array.from(networkOrderOf, (position) => network.areas[position]!);
    const areaAtNetworkOrder = new Int32Array(areas.length);
    networkOrderOf.forEach((position, areaPosition) => {
      areaAtNetworkOrder[position] = areaPosition;
    });
    const areaPoints = withUnitVectors(areas);
    const open = openSiteMask(network.sites);
    const nearest = nearestPoints(siteIndex, open, areaPoints);
    prepared = {
      ...indexNetwork(network),
      network,
      siteIndex,
      areas,
      networkOrderOf,
      areaAtNetworkOrder,
      areaPoints,
      under5s: Float64Array.from(areas, (area) => area.under5Population),
      open,
      siteServices: Uint16Array.from(network.sites, (site) => serviceBits(site.services)),
      nearest,
      areasByNearest: groupPositions(nearest.id, network.sites.length),
      areaSummaries: areas.map(areaSummary),
      derivedResults: new Map(),
    };
    preparedNetworks.set(network, prepared);
  }
  return prepared;
}

// Enough for the parameter sets a council's planners try on one reading of a network at a time.
const derivedKept = 32;

/** What `derived` keeps with a prepared network (the table in src/domain/README.md). */
export type DerivedName = 'deprived areas' | 'baseline' | 'farthest areas' | 'line items' | 'unchanged line items' | 'sites around' | 'areas near sites';

declare const resultType: unique symbol;
/** A key of `derived`: a result's name and every parameter value it depends on, typed with the result. */
export type DerivedKey<T> = string & { readonly [resultType]?: T };

/** The key of result `name` given the parameter values it depends on; `T` is the result's type. */
export const derivedKey = <T>(name: DerivedName, ...dependsOn: readonly (string | number)[]): DerivedKey<T> => [name, ...dependsOn].join(' ') as DerivedKey<T>;

/**
 * A result of the prepared network and some parameters, computed the first time its key is asked
 * for. The key names the result and every parameter it depends on; the oldest results go first.
 */
export function derived<T>(prepared: PreparedNetwork, key: DerivedKey<T>, compute: () => T): T {
  const results = prepared.derivedResults;
  if (results.has(key)) return results.get(key) as T;
  const result = compute();
  results.set(key, result);
  if (results.size > derivedKept) results.delete(results.keys().next().value!);
  return result;
}

/**
 * The sites within 2 × radiusM of each site (a metre more for rounding), worked out once per network
 * and radius: every site within radiusM of an area within radiusM of a site is among them (triangle
 * inequality). The searches around the sites a scenario changes read them instead of querying the site
 * index thousands of times each.
 */
export const sitesAround = (prepared: PreparedNetwork, radiusM: number): Neighbourhoods =>
  derived(prepared, derivedKey<Neighbourhoods>('sites around', radiusM), () => neighbourhoods(prepared.siteIndex, 2 * radiusM + 1));
