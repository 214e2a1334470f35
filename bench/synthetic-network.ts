// Deterministic synthetic networks over an England-sized extent, for the benchmark.
import { openSiteMask } from '../src/domain/positions.js';
import type { ScenarioAction } from '../src/schemas/scenario.js';
import { buildPointIndex, nearestPoints } from '../src/domain/spatial.js';
import type { Area, IncomeStream, Network, Post, ServiceKind, Site } from '../src/domain/types.js';

/** Park–Miller minimal standard generator: the same seed gives the same network on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

const uuid = (kind: number, index: number): string => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${index.toString(16).padStart(12, '0')}`;

const services: ServiceKind[] = ['antenatal', 'postnatal', 'health_visiting', 'stay_and_play', 'parenting_support', 'family_support'];

/**
 * Sites and areas cluster around towns (one town per ten sites) spread over lat 50–55.5, lon −5.5–1.7,
 * as LSOAs and centres do: most areas have a centre within a few kilometres.
 */
export function syntheticNetwork(siteCount: number, seed = 1): Network {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + (high - low) * random();
  const whole = (low: number, high: number) => Math.floor(between(low, high + 1));
  const towns = Array.from({ length: Math.max(1, Math.round(siteCount / 10)) }, () => ({
    lat: between(50, 55.5),
    lon: between(-5.5, 1.7),
    spreadDegrees: between(0.01, 0.05),
  }));
  // A point near a random town: the sum of two uniforms gives a peaked spread of about ±spread.
  const place = () => {
    const town = towns[Math.floor(random() * towns.length)]!;
    const offset = () => (random() + random() - 1) * town.spreadDegrees;
    return { lat: town.lat + offset(), lon: town.lon + offset() * 1.6 };
  };

  const sites: Site[] = Array.from({ length: siteCount }, (_, index) => {
    const draw = random();
    return {
      id: uuid(1, index),
      name: `Centre ${index}`,
      role: draw < 0.15 ? 'hub' : draw < 0.6 ? 'spoke' : 'standalone',
      hubId: null,
      status: random() < 0.03 ? 'closed' : 'open',
      ...place(),
      openingHoursPerWeek: whole(15, 50),
      services: services.filter(() => random() < 0.5),
      annualPremisesCostPence: whole(2_000_000, 12_000_000),
      annualRunningCostPence: whole(3_000_000, 20_000_000),
    };
  });
  // Spokes join their nearest hub; hubs stay open so that every open spoke has an open hub.
  const hubs = Uint8Array.from(sites, (site) => (site.role === 'hub' ? 1 : 0));
  const nearestHub = nearestPoints(buildPointIndex(sites), hubs, sites);
  for (const [index, site] of sites.entries()) {
    if (site.role === 'hub') site.status = 'open';
    if (site.role === 'spoke') site.hubId = sites[nearestHub.id[index]!]!.id;
  }

  const posts: Post[] = [];
  const addPost = (site: Site, kind: Post['kind'], fte: number, cost: number) =>
    posts.push({ id: uuid(2, posts.length), siteId: site.id, title: `${kind} ${posts.length}`, kind, fte, annualCostPerFtePence: cost });
  for (const site of sites) {
    if (site.role !== 'spoke') addPost(site, 'management', whole(6, 10) / 10, whole(5_000_000, 6_500_000));
    for (let count = whole(site.role === 'hub' ? 3 : 1, site.role === 'hub' ? 6 : 4); count > 0; count--) {
      addPost(site, 'frontline', whole(5_000, 10_000) / 10_000, whole(2_800_000, 4_000_000));
    }
    addPost(site, 'admin', whole(2_000, 10_000) / 10_000, whole(2_400_000, 3_000_000));
  }

  const incomeStreams: IncomeStream[] = sites.flatMap((site, index): IncomeStream[] => {
    if (random() > 0.3) return [];
    const ends = random() < 0.5;
    return [
      {
        id: uuid(3, index),
        partner: `NHS trust ${index % 40}`,
        kind: 'health_contract',
        annualValuePence: whole(500_000, 5_000_000),
        startDate: '2023-04-01',
        endDate: ends ? `${whole(2026, 2031)}-03-31` : null,
        siteId: site.id,
        requiresSiteOpen: true,
      },
    ];
  });

  const areas: Area[] = Array.from({ length: siteCount * 10 }, (_, index) => ({
    id: uuid(4, index),
    code: `E0${String(index).padStart(7, '0')}`,
    name: `Area ${index}`,
    ...place(),
    under5Population: whole(40, 200),
    deprivationDecile: whole(1, 10),
    idaciDecile: null,
  }));
  return { sites, posts, incomeStreams, areas };
}

/** Closes about 10% of the open spokes and standalone centres, makes about 5% of the standalone centres spokes of their nearest open hub, and cuts some hours. */
export function syntheticScenario(network: Network, seed = 2): ScenarioAction[] {
  const random = seededRandom(seed);
  const { sites } = network;
  const openHubs = Uint8Array.from(openSiteMask(sites), (open, index) => (open === 1 && sites[index]!.role === 'hub' ? 1 : 0));
  const nearestHub = nearestPoints(buildPointIndex(sites), openHubs, sites);
  return sites.flatMap((site, index): ScenarioAction[] => {
    if (site.status !== 'open' || site.role === 'hub') return [];
    const draw = random();
    if (draw < 0.1) return [{ type: 'close_site', siteId: site.id, oneOffCostPence: 1_000_000 }];
    if (draw < 0.13 && site.role === 'standalone') {
      return [{ type: 'make_spoke', siteId: site.id, hubId: sites[nearestHub.id[index]!]!.id }];
    }
    if (draw < 0.16) return [{ type: 'change_hours', siteId: site.id, openingHoursPerWeek: Math.round(site.openingHoursPerWeek * 0.7) }];
    return [];
  });
}
