// British National Grid (OSGB36, EPSG:27700) <-> WGS84 (EPSG:4326), by proj4.
import proj4 from 'proj4';

/**
 * EPSG:27700 with the standard 7-parameter OSGB36 -> WGS84 Helmert transform: good to a few
 * metres, the accuracy of postcode and LSOA centroids (OSTN15 would give centimetres).
 */
export const EPSG_27700 =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

const grid = proj4(EPSG_27700, 'EPSG:4326');

/** The grid's extent in metres: anything outside is not a British National Grid coordinate. */
export const BNG_BOUNDS = { maxEasting: 700_000, maxNorthing: 1_300_000 } as const;

export interface LatLon {
  lat: number;
  lon: number;
}

export interface EastingNorthing {
  easting: number;
  northing: number;
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

/** To latitude/longitude, rounded to 6 decimal places (about 0.1 m). */
export function bngToWgs84({ easting, northing }: EastingNorthing): LatLon {
  const [lon = NaN, lat = NaN] = grid.forward([easting, northing]);
  return { lat: round(lat, 6), lon: round(lon, 6) };
}

/** To easting/northing, rounded to 0.1 m. */
export function wgs84ToBng({ lat, lon }: LatLon): EastingNorthing {
  const [easting = NaN, northing = NaN] = grid.inverse([lon, lat]);
  return { easting: round(easting, 1), northing: round(northing, 1) };
}
