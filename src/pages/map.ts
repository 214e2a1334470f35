// The network drawn as server-rendered SVG: no tiles, no library, nothing fetched. Sites are shapes
// (by role) with a number that matches the sites table, areas are dots shaded by deprivation decile and
// sized by under-5s. Colour is never the only cue: role has a shape, closure a cross, a change a ring,
// an area losing coverage a thick ring, and every focusable mark says in words what it shows.
import { formatCount, formatMetres, html, type Markup } from './html.js';

export interface MapSite {
  id: string;
  /** Shown beside the mark and in the sites table. */
  number: number;
  name: string;
  role: string;
  status: string;
  lat: number;
  lon: number;
  hubId: string | null;
  /** What a scenario changes at the site, in words (empty on the network page). */
  changes: string[];
  /** The site's hub is new in the scenario (drawn dashed). */
  newLink?: boolean;
}

export interface MapArea {
  id: string;
  code: string;
  name: string;
  lat: number;
  lon: number;
  under5s: number;
  decile: number;
  /** To the nearest open site; null when none is open. */
  distanceM: number | null;
  /** In a scenario: the distance before it, when the scenario changes it. */
  baselineDistanceM?: number | null;
  losingCoverage: boolean;
}

/** Role → mark. Colours from the Okabe–Ito palette (distinguishable with colour-blindness); shapes say it again. */
export const roleMarks: Record<string, { shape: 'square' | 'circle' | 'diamond' | 'triangle'; colour: string; label: string }> = {
  hub: { shape: 'square', colour: '#0072B2', label: 'Hub' },
  spoke: { shape: 'circle', colour: '#009E73', label: 'Spoke' },
  standalone: { shape: 'diamond', colour: '#E69F00', label: 'Standalone' },
  venue: { shape: 'triangle', colour: '#CC79A7', label: 'Venue' },
};
const otherRole = { shape: 'triangle', colour: '#666666', label: 'Other' } as const;
export const roleMark = (role: string) => roleMarks[role] ?? { ...otherRole, label: role };

/** Decile 1 (most deprived) darkest. */
export const decileColours = ['#3f007d', '#54278f', '#6a51a3', '#807dba', '#9e9ac8', '#bcbddc', '#dadaeb', '#e7e6f1', '#efedf5', '#fcfbfd'];
export const losingColour = '#D55E00';

interface Projection {
  x: (lon: number) => number;
  y: (lat: number) => number;
  width: number;
  height: number;
}

/** Equirectangular, scaled by the cosine of the middle latitude: true enough over one council. */
function project(points: { lat: number; lon: number }[], width: number, pad: number): Projection {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (width - 2 * pad) / spanX;
  const height = Math.round(spanY * scale + 2 * pad);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { x: (lon) => round(pad + (lon - minLon) * k * scale), y: (lat) => round(pad + (maxLat - lat) * scale), width, height };
}

function shapePath(shape: string, x: number, y: number, r: number): string {
  switch (shape) {
    case 'square':
      return `M${x - r} ${y - r}h${2 * r}v${2 * r}h${-2 * r}z`;
    case 'diamond':
      return `M${x} ${y - r * 1.3}l${r * 1.3} ${r * 1.3}l${-r * 1.3} ${r * 1.3}l${-r * 1.3} ${-r * 1.3}z`;
    case 'triangle':
      return `M${x} ${y - r * 1.3}l${r * 1.2} ${r * 2.1}h${-r * 2.4}z`;
    default:
      return `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0z`;
  }
}

export const areaLabel = (area: MapArea) => {
  const distance =
    area.baselineDistanceM !== undefined && area.baselineDistanceM !== area.distanceM
      ? `nearest open site ${formatMetres(area.baselineDistanceM)} now, ${formatMetres(area.distanceM)} in the scenario`
      : `nearest open site ${formatMetres(area.distanceM)}`;
  return `${area.name} (${area.code}): ${formatCount(area.under5s)} under-5s, deprivation decile ${area.decile}, ${distance}${area.losingCoverage ? ', loses coverage' : ''}`;
};

export const siteLabel = (site: MapSite) =>
  `${site.number}. ${site.name}: ${roleMark(site.role).label.toLowerCase()}, ${site.status}${site.changes.length ? `; ${site.changes.join('; ')}` : ''}`;

export interface MapOptions {
  sites: MapSite[];
  areas: MapArea[];
  /** Accessible name of the map. */
  title: string;
  /** A sentence or two saying what the map shows, for those who cannot see it. */
  description: string;
  /** Small maps (the comparison) have no labels and no focusable marks. */
  small?: boolean;
  id: string;
}

export function renderMap({ sites, areas, title, description, small = false, id }: MapOptions): Markup {
  const width = small ? 320 : 820;
  const p = project([...sites, ...areas], width, small ? 8 : 24);
  const maxUnder5s = Math.max(1, ...areas.map((a) => a.under5s));
  const areaRadius = (under5s: number) => (small ? 1 : 2) + Math.sqrt(under5s / maxUnder5s) * (small ? 3.5 : 8);
  const siteRadius = small ? 4 : 7;
  const byId = new Map(sites.map((s) => [s.id, s]));

  const links = sites.flatMap((spoke) => {
    const hub = spoke.hubId ? byId.get(spoke.hubId) : undefined;
    if (!hub) return [];
    return [
      html`<line class="link${spoke.newLink ? ' new' : ''}" data-spoke="${spoke.id}" data-hub="${hub.id}" x1="${p.x(spoke.lon)}" y1="${p.y(spoke.lat)}" x2="${p.x(hub.lon)}" y2="${p.y(hub.lat)}"/>`,
    ];
  });
  const areaMarks = areas.map((area) => {
    const x = p.x(area.lon);
    const y = p.y(area.lat);
    const r = areaRadius(area.under5s);
    const label = areaLabel(area);
    const mark = html`<circle cx="${x}" cy="${y}" r="${Math.round(r * 10) / 10}" fill="${decileColours[area.decile - 1] ?? '#999'}"/>`;
    const ring = area.losingCoverage ? html`<circle class="losing-ring" cx="${x}" cy="${y}" r="${Math.round((r + (small ? 2 : 3)) * 10) / 10}"/>` : '';
    return small
      ? html`<g class="area${area.losingCoverage ? ' losing' : ''}" data-area="${area.code}">${mark}${ring}</g>`
      : html`<g class="area${area.losingCoverage ? ' losing' : ''}" data-area="${area.code}" data-distance="${area.distanceM ?? ''}" role="img" aria-label="${label}" tabindex="0">${mark}${ring}</g>`;
  });
  const siteMarks = sites.map((site) => {
    const x = p.x(site.lon);
    const y = p.y(site.lat);
    const mark = roleMark(site.role);
    const closed = site.status !== 'open';
    const label = siteLabel(site);
    const cross = closed
      ? html`<path class="cross" d="M${x - siteRadius} ${y - siteRadius}L${x + siteRadius} ${y + siteRadius}M${x + siteRadius} ${y - siteRadius}L${x - siteRadius} ${y + siteRadius}"/>`
      : '';
    const ring = site.changes.length ? html`<circle class="change-ring" cx="${x}" cy="${y}" r="${siteRadius + 4}"/>` : '';
    const number = small ? '' : html`<text x="${x + siteRadius + 2}" y="${y - siteRadius}" class="site-number">${site.number}</text>`;
    const classes = `site role-${site.role}${closed ? ' closed' : ''}${site.changes.length ? ' changed' : ''}`;
    const shape = html`<path d="${shapePath(mark.shape, x, y, siteRadius)}" fill="${closed ? '#ffffff' : mark.colour}" stroke="${mark.colour}"/>`;
    return small
      ? html`<g class="${classes}" data-site="${site.id}">${ring}${shape}${cross}</g>`
      : html`<g class="${classes}" data-site="${site.id}" role="img" aria-label="${label}" tabindex="0">${ring}${shape}${cross}${number}</g>`;
  });
  return html`<svg id="${id}" class="map${small ? ' small' : ''}" viewBox="0 0 ${p.width} ${p.height}" width="${p.width}" height="${p.height}" role="group" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description}</desc>
<rect class="sea" width="${p.width}" height="${p.height}"/>
<g class="areas">${areaMarks}</g>
<g class="links">${links}</g>
<g class="sites">${siteMarks}</g>
</svg>`;
}

/** The legend: each mark drawn small beside its meaning. */
export function renderLegend({ roles, scenario }: { roles: string[]; scenario: boolean }): Markup {
  const icon = (inner: Markup) => html`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">${inner}</svg>`;
  const roleItems = roles.map((role) => {
    const mark = roleMark(role);
    return html`<li>${icon(html`<path d="${shapePath(mark.shape, 10, 10, 6)}" fill="${mark.colour}" stroke="${mark.colour}"/>`)} ${mark.label}</li>`;
  });
  const deciles = decileColours.map((colour, index) => html`<rect x="${index * 12}" y="0" width="12" height="12" fill="${colour}"/>`);
  return html`<ul class="legend">
${roleItems}
<li>${icon(html`<path d="${shapePath('square', 10, 10, 6)}" fill="#fff" stroke="#333"/><path class="cross" d="M4 4L16 16M16 4L4 16"/>`)} Closed (hollow, crossed)</li>
<li>${icon(html`<line class="link" x1="2" y1="18" x2="18" y2="2"/>`)} Spoke → hub</li>
${
  scenario
    ? html`<li>${icon(html`<line class="link new" x1="2" y1="18" x2="18" y2="2"/>`)} New spoke → hub link</li>
<li>${icon(html`<circle class="change-ring" cx="10" cy="10" r="7"/>`)} Changed by the scenario (ringed)</li>
<li>${icon(html`<circle cx="10" cy="10" r="4" fill="${decileColours[2]!}"/><circle class="losing-ring" cx="10" cy="10" r="7"/>`)} Area losing coverage (thick ring)</li>`
    : ''
}
<li><svg class="icon wide" viewBox="0 0 120 12" width="120" height="12" aria-hidden="true" focusable="false">${deciles}</svg> Areas by deprivation decile: 1 most deprived (dark) to 10 (light); larger dots, more under-5s</li>
</ul>`;
}
