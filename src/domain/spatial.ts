// Spatial look-ups over sites and areas: nearest included point, and points within a radius.
// Both use a kdbush tree over (lon, lat); distances are always our haversine (geo.ts), never
// geokdbush's own (it assumes a 6,371 km sphere).
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { cosLatitude, earthRadiusM, haversineOfM, radiansPerDegree, writeUnitVector, type LatLon } from './geo.js';

/**
 * Points with their unit vectors (x, y, z each, in the points' order), so that distances compare
 * without trigonometry, the cosines of their latitudes, so that haversines need fewer, and their
 * coordinates side by side (lon, lat each), read without a trip to each point's object.
 */
export interface UnitPoints {
  readonly points: readonly LatLon[];
  readonly unitVectors: Float64Array;
  readonly cosLatitudes: Float64Array;
  readonly lonLats: Float64Array;
}

export function withUnitVectors(points: readonly LatLon[]): UnitPoints {
  const unitVectors = new Float64Array(3 * points.length);
  const cosLatitudes = new Float64Array(points.length);
  const lonLats = new Float64Array(2 * points.length);
  for (let id = 0; id < points.length; id++) {
    const { lat, lon } = points[id]!;
    cosLatitudes[id] = writeUnitVector(lat, lon, unitVectors, 3 * id);
    lonLats[2 * id] = lon;
    lonLats[2 * id + 1] = lat;
  }
  return { points, unitVectors, cosLatitudes, lonLats };
}

// Z-order keys hold 15 bits of longitude and 15 of latitude (cells of about 0.7 km by 0.6 km in England),
// times 2^23 for the position: exact in a float64, for up to 8,388,608 points.
const cellsPerAxis = 2 ** 15;
const orderedPositionsAtMost = 2 ** 23;

/** Spreads the 15 low bits of `value` to the even bits of a 30-bit integer. */
function spreadBits(value: number): number {
  let bits = value & 0x7fff;
  bits = (bits | (bits << 8)) & 0x00ff00ff;
  bits = (bits | (bits << 4)) & 0x0f0f0f0f;
  bits = (bits | (bits << 2)) & 0x33333333;
  return (bits | (bits << 1)) & 0x55555555;
}

const cell = (degrees: number, span: number): number => Math.min(cellsPerAxis - 1, Math.floor(((degrees + span / 2) / span) * cellsPerAxis));

/**
 * The positions of `points` along a Z-order (Morton) curve over longitude and latitude, ties in their
 * own order: points near each other on the ground mostly come near each other in the list. (Beyond
 * 8,388,608 points, their own order.)
 */
export function spatialOrder(points: readonly LatLon[]): Int32Array {
  if (points.length > orderedPositionsAtMost) return Int32Array.from(points.keys());
  const keys = new Float64Array(points.length);
  for (let position = 0; position < points.length; position++) {
    const { lon, lat } = points[position]!;
    const code = spreadBits(cell(lon, 360)) * 2 + spreadBits(cell(lat, 180));
    keys[position] = code * orderedPositionsAtMost + position;
  }
  keys.sort();
  return Int32Array.from(keys, (key) => key % orderedPositionsAtMost);
}

/** haversineM between point `a` of one set and point `b` of another (coordinates read from lonLats, not the points' objects). */
export const distanceM = (from: UnitPoints, a: number, to: UnitPoints, b: number): number =>
  haversineOfM(from.lonLats[2 * a + 1]!, from.lonLats[2 * a]!, to.lonLats[2 * b + 1]!, to.lonLats[2 * b]!, from.cosLatitudes[a]!, to.cosLatitudes[b]!);

export interface PointIndex extends UnitPoints {
  readonly tree: KDBush;
  /** Unit vectors of the points in the tree's kd-sorted order, x, y, z each. */
  readonly treeUnitVectors: Float64Array;
}

/** A kdbush tree over (lon, lat). Small leaves (the default) suit many nearest queries; large ones build faster. */
export function buildPointIndex(points: readonly LatLon[], nodeSize = 8): PointIndex {
  const { unitVectors, cosLatitudes, lonLats } = withUnitVectors(points);
  const tree = new KDBush(points.length, nodeSize);
  for (let id = 0; id < points.length; id++) tree.add(lonLats[2 * id]!, lonLats[2 * id + 1]!);
  tree.finish();
  const treeUnitVectors = new Float64Array(3 * points.length);
  for (let position = 0; position < points.length; position++) {
    const id = tree.ids[position]!;
    for (let axis = 0; axis < 3; axis++) treeUnitVectors[3 * position + axis] = unitVectors[3 * id + axis]!;
  }
  return { points, unitVectors, cosLatitudes, lonLats, tree, treeUnitVectors };
}

/**
 * Whether point `a` of one set lies within radiusM of point `b` of another, by our haversine. The
 * squared chord between unit vectors settles all but the pairs near the edge (a margin far wider
 * than rounding), which haversineM decides: the same answer, mostly without trigonometry.
 */
export function withinRadius(radiusM: number): (from: UnitPoints, a: number, to: UnitPoints, b: number) => boolean {
  const chordSquared = (2 * Math.sin(Math.min(Math.max(radiusM, 0) / earthRadiusM, Math.PI) / 2)) ** 2;
  const surelyWithin = chordSquared * (1 - 1e-6) - 1e-18;
  const surelyBeyond = chordSquared * (1 + 1e-6) + 1e-18;
  return (from, a, to, b) => {
    const dx = from.unitVectors[3 * a]! - to.unitVectors[3 * b]!;
    const dy = from.unitVectors[3 * a + 1]! - to.unitVectors[3 * b + 1]!;
    const dz = from.unitVectors[3 * a + 2]! - to.unitVectors[3 * b + 2]!;
    const squared = dx * dx + dy * dy + dz * dz;
    if (squared < surelyWithin) return true;
    if (squared > surelyBeyond) return false;
    return distanceM(from, a, to, b) <= radiusM;
  };
}

/** For each query point: the id of its nearest included point (−1 when none) and the distance (Infinity when none). */
export interface NearestPoints {
  id: Int32Array;
  distanceM: Float64Array;
}

export interface NearestUpdate {
  /** The previous answer, copied; only `queries` are searched again. */
  from: NearestPoints;
  queries: Iterable<number>;
  /** The neighbourhoods of the index's points: each query is looked for first among its previous nearest's. */
  around?: Neighbourhoods;
}

/**
 * Nearest included point for every query point (or, with `update`, only for some of them).
 * `included[id]` is 1 for points that count (e.g. open sites). Queries given as UnitPoints are not
 * converted again.
 */
export function nearestPoints(index: PointIndex, included: Uint8Array, queryPoints: readonly LatLon[] | UnitPoints, update?: NearestUpdate): NearestPoints {
  const queries = 'unitVectors' in queryPoints ? queryPoints : withUnitVectors(queryPoints);
  const count = queries.points.length;
  const result: NearestPoints = update
    ? { id: update.from.id.slice(), distanceM: update.from.distanceM.slice() }
    : { id: new Int32Array(count).fill(-1), distanceM: new Float64Array(count).fill(Infinity) };
  const around = update?.around;
  const search = (queryId: number): void => {
    const id = around ? nearestFromNeighbours(index, included, queries, queryId, around, update!.from) : nearestId(index, included, queries, queryId);
    result.id[queryId] = id;
    result.distanceM[queryId] = id < 0 ? Infinity : distanceM(queries, queryId, index, id);
  };
  if (update) for (const queryId of update.queries) search(queryId);
  else for (let queryId = 0; queryId < count; queryId++) search(queryId);
  return result;
}

/** The squared chord from the unit vector at `offset` in `unit` to (qx, qy, qz). */
function chordSquaredAt(unit: Float64Array, offset: number, qx: number, qy: number, qz: number): number {
  const dx = unit[offset]! - qx;
  const dy = unit[offset + 1]! - qy;
  const dz = unit[offset + 2]! - qz;
  return dx * dx + dy * dy + dz * dz;
}

/**
 * The query's nearest included point, looked for first among the neighbours of `centre`, its nearest
 * in `previous` (at `centreDistanceM`). Every point beyond the neighbourhood is more than around.radiusM from
 * the centre, so more than radiusM − centreDistanceM from the query (triangle inequality): the nearest
 * neighbour, when nearer than that (with a metre to spare for rounding), is the nearest of all. Where
 * sites are dense most queries end there, reading one short list; the rest are searched in full, from
 * that neighbour's distance, so most of the tree is passed over at once. Two neighbours as near as each
 * other (sites in one building) leave the tie to the full search, unseeded.
 */
function nearestFromNeighbours(
  index: PointIndex,
  included: Uint8Array,
  queries: UnitPoints,
  queryId: number,
  around: Neighbourhoods,
  previous: NearestPoints,
): number {
  const centre = previous.id[queryId]!;
  const centreDistanceM = previous.distanceM[queryId]!;
  if (centre < 0) return nearestId(index, included, queries, queryId);
  const unit = index.unitVectors;
  const qx = queries.unitVectors[3 * queryId]!;
  const qy = queries.unitVectors[3 * queryId + 1]!;
  const qz = queries.unitVectors[3 * queryId + 2]!;
  let best = Infinity;
  let bestId = -1;
  let tied = false;
  for (let slot = around.start[centre]!; slot < around.end[centre]!; slot++) {
    const id = around.ids[slot]!;
    if (included[id] !== 1) continue;
    // As the full search measures: the same unit vectors, the same arithmetic.
    const chordSquared = chordSquaredAt(unit, 3 * id, qx, qy, qz);
    if (chordSquared < best) {
      best = chordSquared;
      bestId = id;
      tied = false;
    } else if (chordSquared === best) tied = true;
  }
  if (bestId < 0 || tied) return nearestId(index, included, queries, queryId);
  if (distanceM(queries, queryId, index, bestId) < around.radiusM - centreDistanceM - 1) return bestId;
  return nearestId(index, included, queries, queryId, bestId, best);
}

/**
 * Id of the nearest included point, or −1. Given a `seedId` at `seedChordSquared`, only points nearer
 * than it are looked for (it stands when none is).
 */
function nearestId(index: PointIndex, included: Uint8Array, queries: UnitPoints, queryId: number, seedId = -1, seedChordSquared = Infinity): number {
  const position = nearestPosition(index, included, queries, queryId, seedChordSquared);
  return position >= 0 ? index.tree.ids[position]! : seedId;
}

// Depth-first branch and bound over kdbush's kd-sorted arrays, with frames of (left, right, axis,
// lower bound) on a shared stack: two frames a level, enough for 2^32 points. geokdbush's `around` is
// exact too but allocates a priority queue and nodes per query: measured 7 times slower for the tens of
// thousands of areas an evaluation asks about. One loop without closures or allocation: the hot path.
const frameStack = new Float64Array(4 * 2 * 34);

/**
 * An upper bound on the angle of a chord, without trigonometry: θ = 2·asin(c/2) ≤ 2·tan(θ/2) =
 * c / √(1 − c²/4), a little over for rounding. It prunes no more than the exact angle would: the same
 * point wins, ties included.
 */
function angleAtMost(chordSquared: number): number {
  return (Math.sqrt(chordSquared) / Math.sqrt(Math.max(0, 1 - chordSquared / 4))) * (1 + 1e-12);
}

/**
 * Position in the tree of the nearest included point nearer than `chordSquaredBelow` (as a squared
 * chord), or −1. Compares squared chords: no trigonometry per point.
 */
function nearestPosition(index: PointIndex, included: Uint8Array, queries: UnitPoints, queryId: number, chordSquaredBelow: number): number {
  const { ids, coords, nodeSize } = index.tree;
  const unit = index.treeUnitVectors;
  const queryLon = queries.lonLats[2 * queryId]!;
  const queryLat = queries.lonLats[2 * queryId + 1]!;
  const qx = queries.unitVectors[3 * queryId]!;
  const qy = queries.unitVectors[3 * queryId + 1]!;
  const qz = queries.unitVectors[3 * queryId + 2]!;
  const cosQueryLat = queries.cosLatitudes[queryId]!;
  // Longitude gaps wrap at ±180°; this bound on the gap the other way round is conservative.
  const gapToAntimeridian = 180 - Math.abs(queryLon);
  let best = chordSquaredBelow;
  let bestAngle = best === Infinity ? Math.PI : angleAtMost(best);
  let bestPosition = -1;
  // The current node, searched without a round trip through the stack.
  let left = 0;
  let right = ids.length - 1;
  let axis = 0;
  let bound = 0;
  let top = 0;
  for (;;) {
    if (bound < bestAngle && right - left <= nodeSize) {
      for (let position = left; position <= right; position++) {
        if (included[ids[position]!] !== 1) continue;
        const chordSquared = chordSquaredAt(unit, 3 * position, qx, qy, qz);
        if (chordSquared < best) {
          best = chordSquared;
          bestAngle = angleAtMost(chordSquared);
          bestPosition = position;
        }
      }
    } else if (bound < bestAngle) {
      const middle = (left + right) >> 1;
      const split = coords[2 * middle + axis]!;
      // A lower bound on the angle to every point on or beyond the splitting line, without trigonometry.
      let planeBound: number;
      if (axis === 1) {
        planeBound = Math.abs(queryLat - split) * radiansPerDegree;
      } else {
        // Cross-track angle to the meridian: θ ≥ sin θ = cos(lat)·sin(Δlon) ≥ cos(lat)·(Δlon − Δlon³/6), Δlon ≤ 90°.
        const gap = Math.min(Math.abs(queryLon - split), gapToAntimeridian, 90) * radiansPerDegree;
        planeBound = cosQueryLat * gap * (1 - (gap * gap) / 6);
      }
      const farBound = Math.max(bound, planeBound);
      const queryBeforeSplit = (axis === 0 ? queryLon : queryLat) < split;
      // Later: the middle point (on the line, so at least as far as the line: usually pruned), then the far half.
      frameStack[top++] = queryBeforeSplit ? middle + 1 : left;
      frameStack[top++] = queryBeforeSplit ? right : middle - 1;
      frameStack[top++] = 1 - axis;
      frameStack[top++] = farBound;
      frameStack[top++] = middle;
      frameStack[top++] = middle;
      frameStack[top++] = axis;
      frameStack[top++] = farBound;
      // Now: the near half.
      if (queryBeforeSplit) right = middle - 1;
      else left = middle + 1;
      axis = 1 - axis;
      continue;
    }
    if (top === 0) break;
    bound = frameStack[--top]!;
    axis = frameStack[--top]!;
    right = frameStack[--top]!;
    left = frameStack[--top]!;
  }
  return bestPosition;
}

/**
 * Ids of points within `radiusM` of `centre` by our haversine, in no particular order: kdbush's range
 * query over the cap's bounding box, then the exact distance. Caps over a pole or across the
 * antimeridian, whose box is not one plain range, go through geokdbush's `around` instead. Given
 * `distancesM`, it is filled with each point's distance, in step with the ids.
 */
export function pointsWithinRadius(index: PointIndex, centre: LatLon, radiusM: number, distancesM?: number[]): number[] {
  const angle = radiusM / earthRadiusM;
  const margin = 1 + 1e-9;
  const latSpan = (angle / radiansPerDegree) * margin;
  const lonSine = Math.sin(angle) / Math.cos(centre.lat * radiansPerDegree);
  const lonSpan = (Math.asin(Math.min(1, lonSine)) / radiansPerDegree) * margin;
  const plainBox = Math.abs(centre.lat) + latSpan < 90 && lonSine < 1 && Math.abs(centre.lon) + lonSpan <= 180 && angle < Math.PI / 2;
  const candidates = plainBox
    ? index.tree.range(centre.lon - lonSpan, centre.lat - latSpan, centre.lon + lonSpan, centre.lat + latSpan)
    : // geokdbush measures on a 6,371 km sphere: a slightly wider search, then our distance decides.
      around(index.tree, centre.lon, centre.lat, Infinity, (angle * 6371 + 1e-6) * margin);
  // Kept in place: this runs for thousands of areas in an evaluation.
  let kept = 0;
  const cosCentreLat = cosLatitude(centre.lat);
  for (const id of candidates) {
    const pointDistanceM = haversineOfM(centre.lat, centre.lon, index.lonLats[2 * id + 1]!, index.lonLats[2 * id]!, cosCentreLat, index.cosLatitudes[id]!);
    if (pointDistanceM > radiusM) continue;
    if (distancesM) distancesM[kept] = pointDistanceM;
    candidates[kept++] = id;
  }
  candidates.length = kept;
  if (distancesM) distancesM.length = kept;
  return candidates;
}

/**
 * Each point's neighbours within a radius (itself included) with their distances, packed: point i's
 * are `ids[start[i] … end[i])`, in pointsWithinRadius's order.
 */
export interface Neighbourhoods {
  /** The radius they were found within. */
  readonly radiusM: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly ids: Int32Array;
  readonly distancesM: Float64Array;
}

/**
 * pointsWithinRadius around every point of the index, at once. Taken in the tree's order, so that
 * each search reads much of what the one before read (about 40% faster at 30,000 sites).
 */
export function neighbourhoods(index: PointIndex, radiusM: number): Neighbourhoods {
  const start = new Int32Array(index.points.length);
  const end = new Int32Array(index.points.length);
  const ids: number[] = [];
  const distancesM: number[] = [];
  const distancesAround: number[] = [];
  for (let position = 0; position < index.points.length; position++) {
    const id = index.tree.ids[position]!;
    const around = pointsWithinRadius(index, index.points[id]!, radiusM, distancesAround);
    start[id] = ids.length;
    for (let slot = 0; slot < around.length; slot++) {
      ids.push(around[slot]!);
      distancesM.push(distancesAround[slot]!);
    }
    end[id] = ids.length;
  }
  return { radiusM, start, end, ids: Int32Array.from(ids), distancesM: Float64Array.from(distancesM) };
}
