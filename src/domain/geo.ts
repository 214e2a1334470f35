// Great-circle distances on the sphere the planning model names (planning-model.md, "Reach").

export const earthRadiusM = 6_371_008.8;
export const radiansPerDegree = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Haversine distance in metres. */
export function haversineM(a: LatLon, b: LatLon): number {
  return haversineOfM(a.lat, a.lon, b.lat, b.lon, cosLatitude(a.lat), cosLatitude(b.lat));
}

export const cosLatitude = (latDegrees: number): number => Math.cos(latDegrees * radiansPerDegree);

/**
 * haversineM, exactly, from plain coordinates and the cosines of both latitudes already at hand
 * (cosLatitude): the spatial searches keep coordinates in typed arrays, not objects.
 */
export function haversineOfM(latA: number, lonA: number, latB: number, lonB: number, cosLatA: number, cosLatB: number): number {
  const sinHalfDLat = Math.sin(((latB - latA) * radiansPerDegree) / 2);
  const sinHalfDLon = Math.sin(((lonB - lonA) * radiansPerDegree) / 2);
  const h = sinHalfDLat * sinHalfDLat + cosLatA * cosLatB * sinHalfDLon * sinHalfDLon;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Unit vector (x, y, z) of a point on the sphere, written into `out` from `offset`; returns cosLatitude. */
export function writeUnitVector(latDegrees: number, lonDegrees: number, out: Float64Array, offset: number): number {
  const lat = latDegrees * radiansPerDegree;
  const lon = lonDegrees * radiansPerDegree;
  const cosLat = Math.cos(lat);
  out[offset] = cosLat * Math.cos(lon);
  out[offset + 1] = cosLat * Math.sin(lon);
  out[offset + 2] = Math.sin(lat);
  return cosLat;
}

/** Walking minutes along streets: straight-line distance stretched by the detour factor. */
export function walkingMinutes(distanceM: number, detourFactor: number, walkingSpeedMPerMin: number): number {
  return (distanceM * detourFactor) / walkingSpeedMPerMin;
}
