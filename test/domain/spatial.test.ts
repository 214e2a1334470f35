// The spatial index against brute force, anywhere on the globe (poles and the antimeridian too).
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { earthRadiusM, haversineM, walkingMinutes, type LatLon } from '../../src/domain/geo.js';
import { networkToGeoJson } from '../../src/domain/geojson.js';
import { buildPointIndex, nearestPoints, neighbourhoods, pointsWithinRadius, spatialOrder } from '../../src/domain/spatial.js';
import { networkArbitrary } from '../helpers/planning-arbitraries.js';

const globalPoint = fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });
// Points near the antimeridian and the poles, where a lon/lat tree is easiest to get wrong.
const awkwardPoint = fc.oneof(
  globalPoint,
  fc.record({ lat: fc.double({ min: -60, max: 60, noNaN: true }), lon: fc.constantFrom(-180, 180, -179.9999, 179.9999) }),
  fc.record({ lat: fc.double({ min: 88, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
);
const englandPoint = fc.record({ lat: fc.double({ min: 50, max: 55.5, noNaN: true }), lon: fc.double({ min: -5.5, max: 1.7, noNaN: true }) });

function bruteNearest(points: readonly LatLon[], included: Uint8Array, query: LatLon): number {
  return points.reduce((best, point, id) => (included[id] === 1 ? Math.min(best, haversineM(query, point)) : best), Infinity);
}

t.test('haversine: a degree of latitude, and symmetry', async (t) => {
  t.equal(Math.round(haversineM({ lat: 53, lon: -2 }, { lat: 54, lon: -2 }) * 1000) / 1000, 111_195.08, 'R × π ÷ 180');
  t.equal(haversineM({ lat: 0, lon: 0 }, { lat: 0, lon: 180 }), Math.PI * earthRadiusM);
  t.equal(walkingMinutes(800, 1.3, 80), 13);
});

for (const [name, point, nodeSize] of [
  ['England', englandPoint, 8],
  ['the whole globe', awkwardPoint, 8],
  ['the whole globe, large leaves', awkwardPoint, 64],
] as const) {
  t.test(`nearest included point agrees with a brute-force scan: ${name}`, async (t) => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ point, included: fc.boolean() }), { maxLength: 60 }),
        fc.array(point, { minLength: 1, maxLength: 20 }),
        (sites, queries) => {
          const points = sites.map((site) => site.point);
          const included = Uint8Array.from(sites, (site) => (site.included ? 1 : 0));
          const nearest = nearestPoints(buildPointIndex(points, nodeSize), included, queries);
          return queries.every((query, index) => {
            const expected = bruteNearest(points, included, query);
            const found = nearest.distanceM[index]!;
            if (expected === Infinity) return found === Infinity && nearest.id[index] === -1;
            return Math.abs(found - expected) <= 0.5 && haversineM(query, points[nearest.id[index]!]!) === found;
          });
        },
      ),
      { numRuns: 300 },
    );
    t.pass('the property held for 300 random cases');
  });
}

t.test('an update searches only the queries given', async (t) => {
  const points = [
    { lat: 53, lon: -2 },
    { lat: 53.1, lon: -2 },
  ];
  const queries = [{ lat: 53.01, lon: -2 }];
  const index = buildPointIndex(points);
  const all = nearestPoints(index, Uint8Array.of(1, 1), queries);
  t.equal(all.id[0], 0);
  t.equal(nearestPoints(index, Uint8Array.of(0, 1), queries, { from: all, queries: [] }).id[0], 0, 'kept');
  t.equal(nearestPoints(index, Uint8Array.of(0, 1), queries, { from: all, queries: [0] }).id[0], 1, 'searched again');
  t.same(
    nearestPoints(index, Uint8Array.of(0, 0), queries, { from: all, queries: [0] }),
    { id: Int32Array.of(-1), distanceM: Float64Array.of(Infinity) },
    'none left',
  );
  t.equal(all.id[0], 0, 'the previous answer is not changed');
});

t.test('a neighbour not surely the nearest is only where the full search starts from', async (t) => {
  // Along one meridian, in metres north of the closed site: the query 500 m north; within 601 m of the
  // closed site (twice a 300 m radius, and a metre) a site 600 m south, so 1,100 m from the query; beyond
  // that reach a site 1,080 m north of the query, a little nearer.
  const north = (metres: number) => ({ lat: 53 + metres / 111_195.08, lon: -2 });
  const index = buildPointIndex([north(0), north(-600), north(1_580)]);
  const queries = [north(500)];
  const from = nearestPoints(index, Uint8Array.of(1, 1, 1), queries);
  t.equal(from.id[0], 0);
  const updated = nearestPoints(index, Uint8Array.of(0, 1, 1), queries, { from, queries: [0], around: neighbourhoods(index, 601) });
  t.equal(updated.id[0], 2, 'the nearer site beyond the neighbourhood');
  t.equal(Math.round(updated.distanceM[0]!), 1_080);
});

// A few kilometres across: many sites within reach of each other, so the search among neighbours decides.
const townPoint = fc.record({ lat: fc.double({ min: 53, max: 53.05, noNaN: true }), lon: fc.double({ min: -2, max: -1.95, noNaN: true }) });

// Radii from a few metres to the town's size: neighbourhoods from none to every site, and in between
// a neighbour that is not surely the nearest, from whose distance the full search starts.
for (const [name, point, maxRadiusM] of [
  ['in a town', townPoint, 2_000],
  ['anywhere on the globe', awkwardPoint, 5_000],
] as const) {
  t.test(`an update looking first among the old nearest's neighbours finds what a full search finds: ${name}`, async (t) => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ point, before: fc.boolean(), after: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        fc.array(point, { minLength: 1, maxLength: 30 }),
        fc.double({ min: 1, max: maxRadiusM, noNaN: true }),
        (sites, queries, radiusM) => {
          const index = buildPointIndex(sites.map((site) => site.point));
          const before = Uint8Array.from(sites, (site) => (site.before ? 1 : 0));
          // Sites only close, as in a scenario that reopens none.
          const after = Uint8Array.from(sites, (site) => (site.before && site.after ? 1 : 0));
          const from = nearestPoints(index, before, queries);
          const closed = queries.flatMap((_, query) => (from.id[query]! >= 0 && after[from.id[query]!] === 0 ? [query] : []));
          const updated = nearestPoints(index, after, queries, { from, queries: closed, around: neighbourhoods(index, 2 * radiusM + 1) });
          const full = nearestPoints(index, after, queries);
          return isDeepStrictEqual(updated.distanceM, full.distanceM) && isDeepStrictEqual(updated.id, full.id);
        },
      ),
      { numRuns: 300 },
    );
    t.pass('the property held for 300 random cases');
  });
}

t.test('points within a radius agree with a brute-force scan', async (t) => {
  fc.assert(
    fc.property(fc.array(awkwardPoint, { maxLength: 60 }), awkwardPoint, fc.double({ min: 1, max: 3_000_000, noNaN: true }), (points, centre, radiusM) => {
      const found = pointsWithinRadius(buildPointIndex(points), centre, radiusM).sort((a, b) => a - b);
      const expected = points.flatMap((point, id) => (haversineM(centre, point) <= radiusM ? [id] : []));
      return isDeepStrictEqual(found, expected);
    }),
    { numRuns: 300 },
  );
  t.pass('the property held for 300 random cases');
});

t.test("each point's neighbourhood is every point within the radius of it, with its distance (brute force)", async (t) => {
  fc.assert(
    fc.property(fc.array(awkwardPoint, { maxLength: 60 }), fc.double({ min: 1, max: 3_000_000, noNaN: true }), (points, radiusM) => {
      const around = neighbourhoods(buildPointIndex(points), radiusM);
      return points.every((centre, id) => {
        const found = Array.from(around.ids.subarray(around.start[id], around.end[id]), (neighbour, slot) => ({
          neighbour,
          distanceM: around.distancesM[around.start[id]! + slot],
        })).sort((a, b) => a.neighbour - b.neighbour);
        const expected = points.flatMap((point, neighbour) => {
          const distanceM = haversineM(centre, point);
          return distanceM <= radiusM ? [{ neighbour, distanceM }] : [];
        });
        return isDeepStrictEqual(found, expected);
      });
    }),
    { numRuns: 300 },
  );
  t.pass('the property held for 300 random cases');
});

t.test('an empty index finds nothing', async (t) => {
  const index = buildPointIndex([]);
  t.same(nearestPoints(index, new Uint8Array(0), [{ lat: 53, lon: -2 }]), { id: Int32Array.of(-1), distanceM: Float64Array.of(Infinity) });
  t.same(pointsWithinRadius(index, { lat: 53, lon: -2 }, 1000), []);
});

t.test('spatial order: every position once, points of one cell together, and a Z-order over cells', async (t) => {
  fc.assert(
    fc.property(fc.array(awkwardPoint, { maxLength: 80 }), (points) => {
      const order = Array.from(spatialOrder(points));
      return isDeepStrictEqual(
        [...order].sort((a, b) => a - b),
        points.map((_, position) => position),
      );
    }),
    { numRuns: 300 },
  );
  // Four points in the four quarters of a square, listed against the Z: the curve visits lower left,
  // lower right, upper left, upper right (longitude is the higher bit of each pair).
  const square = [
    { lat: 10, lon: 10 },
    { lat: -10, lon: 10 },
    { lat: 10, lon: -10 },
    { lat: -10, lon: -10 },
  ];
  t.same(Array.from(spatialOrder(square)), [3, 2, 1, 0]);
  t.same(
    Array.from(
      spatialOrder([
        { lat: 53, lon: -2 },
        { lat: 53, lon: -2 },
      ]),
    ),
    [0, 1],
    'ties keep their order',
  );
});

t.test('GeoJSON names each area’s nearest open site, whatever order the areas are listed in', async (t) => {
  fc.assert(
    fc.property(networkArbitrary, fc.boolean(), (network, reversed) => {
      const listed = { ...network, areas: reversed ? network.areas.toReversed() : network.areas };
      const open = Uint8Array.from(listed.sites, (site) => (site.status === 'open' ? 1 : 0));
      const areaFeatures = networkToGeoJson(listed).features.filter((feature) => feature.properties.kind === 'area');
      return areaFeatures.every((feature, position) => {
        const area = listed.areas[position]!;
        const nearestM = bruteNearest(listed.sites, open, area);
        const properties = feature.properties as { nearestOpenSiteId: string | null; nearestOpenSiteDistanceM: number | null };
        const named = listed.sites.find((site) => site.id === properties.nearestOpenSiteId);
        return (
          feature.id === area.id &&
          (named ? properties.nearestOpenSiteDistanceM === Math.round(nearestM) && haversineM(area, named) === nearestM : nearestM === Infinity)
        );
      });
    }),
    { numRuns: 150 },
  );
  t.pass('the property held for 150 random cases');
});
