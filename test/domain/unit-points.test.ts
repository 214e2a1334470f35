// Unit vectors and cached cosines are shortcuts only: every answer must equal plain haversineM's.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { haversineM } from '../../src/domain/geo.js';
import { buildPointIndex, distanceM, nearestPoints, withinRadius, withUnitVectors } from '../../src/domain/spatial.js';

const point = fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });
const nearby = (centre: { lat: number; lon: number }) =>
  fc
    .record({ dLat: fc.double({ min: -0.05, max: 0.05, noNaN: true }), dLon: fc.double({ min: -0.05, max: 0.05, noNaN: true }) })
    .map(({ dLat, dLon }) => ({ lat: Math.max(-90, Math.min(90, centre.lat + dLat)), lon: Math.max(-180, Math.min(180, centre.lon + dLon)) }));
const pair = point.chain((a) => fc.tuple(fc.constant(a), fc.oneof(point, nearby(a))));

t.test('distanceM is haversineM exactly', async () => {
  fc.assert(
    fc.property(pair, ([a, b]) => distanceM(withUnitVectors([a]), 0, withUnitVectors([b]), 0) === haversineM(a, b)),
    { numRuns: 2000 },
  );
});

t.test('withinRadius agrees with haversineM, on the edge of the radius too', async () => {
  fc.assert(
    fc.property(
      pair,
      fc.oneof(fc.double({ min: 0, max: 3e7, noNaN: true }), fc.constantFrom(-1e-12, 0, 1e-12, 1e-9, -1e-9)),
      fc.boolean(),
      ([a, b], radiusOrNudge, onEdge) => {
        const exact = haversineM(a, b);
        const radiusM = onEdge && Math.abs(radiusOrNudge) < 1 ? exact * (1 + radiusOrNudge) : radiusOrNudge;
        return withinRadius(radiusM)(withUnitVectors([a]), 0, withUnitVectors([b]), 0) === exact <= radiusM;
      },
    ),
    { numRuns: 3000 },
  );
  const here = { lat: 53, lon: -2 };
  t.equal(withinRadius(-1)(withUnitVectors([here]), 0, withUnitVectors([here]), 0), false, 'nothing is within a negative radius');
  t.equal(withinRadius(0)(withUnitVectors([here]), 0, withUnitVectors([here]), 0), true, 'a point is within 0 m of itself');
});

t.test('nearest points are the same whether the queries come with unit vectors or not', async () => {
  fc.assert(
    fc.property(fc.array(point, { maxLength: 40 }), fc.array(point, { minLength: 1, maxLength: 20 }), (sites, queries) => {
      const index = buildPointIndex(sites);
      const included = new Uint8Array(sites.length).fill(1);
      return isDeepStrictEqual(nearestPoints(index, included, withUnitVectors(queries)), nearestPoints(index, included, queries));
    }),
    { numRuns: 200 },
  );
});
