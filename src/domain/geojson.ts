// The network as GeoJSON (RFC 7946): sites as points, spoke→hub links as lines, areas as centroid points.
// Coordinates are [longitude, latitude], as the RFC requires.
import { haversineM } from './geo.js';
import { prepareNetwork } from './prepared.js';
import type { Network } from './types.js';

interface Feature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: [number, number][] };
  properties: Record<string, unknown>;
}

export interface NetworkGeoJson {
  type: 'FeatureCollection';
  features: Feature[];
}

/** Each area's nearest open site and its distance in whole metres, in the network's order of areas (nulls when no site is open). */
export function nearestOpenSites(network: Network): { siteId: string | null; distanceM: number | null }[] {
  const { nearest, areaAtNetworkOrder } = prepareNetwork(network);
  return network.areas.map((_, position) => {
    const areaPosition = areaAtNetworkOrder[position]!;
    const sitePosition = nearest.id[areaPosition]!;
    return sitePosition >= 0
      ? { siteId: network.sites[sitePosition]!.id, distanceM: Math.round(nearest.distanceM[areaPosition]!) }
      : { siteId: null, distanceM: null };
  });
}

export function networkToGeoJson(network: Network): NetworkGeoJson {
  const { sites: sitesById } = prepareNetwork(network);
  const nearest = nearestOpenSites(network);
  const features: Feature[] = network.sites.map((site) => ({
    type: 'Feature',
    id: site.id,
    geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
    properties: {
      kind: 'site',
      name: site.name,
      role: site.role,
      status: site.status,
      hubId: site.hubId,
      services: site.services,
      openingHoursPerWeek: site.openingHoursPerWeek,
    },
  }));
  for (const spoke of network.sites) {
    const hub = spoke.hubId ? sitesById.get(spoke.hubId) : undefined;
    if (!hub) continue;
    features.push({
      type: 'Feature',
      id: `${spoke.id}:${hub.id}`,
      geometry: {
        type: 'LineString',
        coordinates: [
          [spoke.lon, spoke.lat],
          [hub.lon, hub.lat],
        ],
      },
      properties: { kind: 'spoke_link', spokeId: spoke.id, hubId: hub.id, distanceM: Math.round(haversineM(spoke, hub)) },
    });
  }
  network.areas.forEach((area, position) => {
    features.push({
      type: 'Feature',
      id: area.id,
      geometry: { type: 'Point', coordinates: [area.lon, area.lat] },
      properties: {
        kind: 'area',
        code: area.code,
        name: area.name,
        under5Population: area.under5Population,
        deprivationDecile: area.deprivationDecile,
        nearestOpenSiteId: nearest[position]!.siteId,
        nearestOpenSiteDistanceM: nearest[position]!.distanceM,
      },
    });
  });
  return { type: 'FeatureCollection', features };
}
