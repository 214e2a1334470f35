// Spatial look-ups over sites and areas: nearest included point, and points within a radius.
// Both use a kdbush tree over (lon, lat); distances are always our haversine (geo.ts), never
// geokdbush's own (it assumes a 6,371 km sphere).
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { earthRadiusM, haversineM, radiansPerDegree, writeUnitVector, type LatLon } from './geo.js';

export interface PointIndex {
  readonly points: readonly LatLon[];
  readonly tree: KDBush;
  /** Unit vectors of the points in the tree's kd-sorted order, x, y, z each. */
  readonly unitVectors: Float64Array;
}

/** A kdbush tree over (lon, lat). Small leaves (the default) suit many nearest queries; large ones build faster. */
export function buildPointIndex(points: readonly LatLon[], nodeSize = 8): PointIndex {
  const tree = new KDBush(points.length, nodeSize);
  for (const point of points) tree.add(point.lon, point.lat);
  tree.finish();
  const unitVectors = new Float64Array(3 * points.length);
  for (let position = 0; position < points.length; position++) {
    writeUnitVector(tree.coords[2 * position + 1]!, tree.coords[2 * position]!, unitVectors, 3 * position);
  }
  return { points, tree, unitVectors };
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
}

/**
 * Nearest included point for every query point (or, with `update`, only for some of them).
 * `included[id]` is 1 for points that count (e.g. open sites).
 */
export function nearestPoints(
  index: PointIndex,
  included: Uint8Array,
  queries: readonly LatLon[],
  update?: NearestUpdate,
): NearestPoints {
  const result: NearestPoints = update
    ? { id: update.from.id.slice(), distanceM: update.from.distanceM.slice() }
    : { id: new Int32Array(queries.length).fill(-1), distanceM: new Float64Array(queries.length).fill(Infinity) };
  const search = (queryId: number): void => {
    const query = queries[queryId]!;
    const position = nearestPosition(index, included, query);
    const id = position < 0 ? -1 : index.tree.ids[position]!;
    result.id[queryId] = id;
    result.distanceM[queryId] = id < 0 ? Infinity : haversineM(query, index.points[id]!);
  };
  if (update) for (const queryId of update.queries) search(queryId);
  else for (let queryId = 0; queryId < queries.length; queryId++) search(queryId);
  return result;
}

// Depth-first branch and bound over kdbush's kd-sorted arrays, with frames of (left, right, axis,
// lower bound) on a shared stack: two frames a level, enough for 2^32 points. geokdbush's `around` is
// exact too but allocates a priority queue and nodes per query: measured 7 times slower for the tens of
// thousands of areas an evaluation asks about. One loop without closures or allocation: the hot path.
const frameStack = new Float64Array(4 * 2 * 34);
const queryUnit = new Float64Array(3);

/** Position in the tree of the nearest included point, or −1. Compares squared chords: no trigonometry per point. */
function nearestPosition(index: PointIndex, included: Uint8Array, query: LatLon): number {
  const { ids, coords, nodeSize } = index.tree;
  const unit = index.unitVectors;
  writeUnitVector(query.lat, query.lon, queryUnit, 0);
  const qx = queryUnit[0]!;
  const qy = queryUnit[1]!;
  const qz = queryUnit[2]!;
  const cosQueryLat = Math.cos(query.lat * radiansPerDegree);
  // Longitude gaps wrap at ±180°; this bound on the gap the other way round is conservative.
  const gapToAntimeridian = 180 - Math.abs(query.lon);
  let best = Infinity;
  let bestAngle = Math.PI;
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
        const dx = unit[3 * position]! - qx;
        const dy = unit[3 * position + 1]! - qy;
        const dz = unit[3 * position + 2]! - qz;
        const chordSquared = dx * dx + dy * dy + dz * dz;
        if (chordSquared < best) {
          best = chordSquared;
          bestAngle = 2 * Math.asin(Math.min(1, Math.sqrt(chordSquared) / 2));
          bestPosition = position;
        }
      }
    } else if (bound < bestAngle) {
      const middle = (left + right) >> 1;
      const split = coords[2 * middle + axis]!;
      // A lower bound on the angle to every point on or beyond the splitting line, without trigonometry.
      let planeBound: number;
      if (axis === 1) {
        planeBound = Math.abs(query.lat - split) * radiansPerDegree;
      } else {
        // Cross-track angle to the meridian: θ ≥ sin θ = cos(lat)·sin(Δlon) ≥ cos(lat)·(Δlon − Δlon³/6), Δlon ≤ 90°.
        const gap = Math.min(Math.abs(query.lon - split), gapToAntimeridian, 90) * radiansPerDegree;
        planeBound = cosQueryLat * gap * (1 - (gap * gap) / 6);
      }
      const farBound = Math.max(bound, planeBound);
      const queryBeforeSplit = (axis === 0 ? query.lon : query.lat) < split;
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
 * antimeridian, whose box is not one plain range, go through geokdbush's `around` instead.
 */
export function pointsWithinRadius(index: PointIndex, centre: LatLon, radiusM: number): number[] {
  const angle = radiusM / earthRadiusM;
  const margin = 1 + 1e-9;
  const latSpan = (angle / radiansPerDegree) * margin;
  const lonSine = Math.sin(angle) / Math.cos(centre.lat * radiansPerDegree);
  const lonSpan = (Math.asin(Math.min(1, lonSine)) / radiansPerDegree) * margin;
  const plainBox =
    Math.abs(centre.lat) + latSpan < 90 && lonSine < 1 && Math.abs(centre.lon) + lonSpan <= 180 && angle < Math.PI / 2;
  const candidates = plainBox
    ? index.tree.range(centre.lon - lonSpan, centre.lat - latSpan, centre.lon + lonSpan, centre.lat + latSpan)
    : // geokdbush measures on a 6,371 km sphere: a slightly wider search, then our distance decides.
      around(index.tree, centre.lon, centre.lat, Infinity, (angle * 6371 + 1e-6) * margin);
  // Kept in place: this runs for thousands of areas in an evaluation.
  let kept = 0;
  for (const id of candidates) if (haversineM(centre, index.points[id]!) <= radiusM) candidates[kept++] = id;
  candidates.length = kept;
  return candidates;
}
