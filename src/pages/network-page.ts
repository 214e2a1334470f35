// The network page: the map, the headline figures of GET …/network's summary, and the sites table of
// …/network.csv (the same functions build both).
import type { SiteFigures } from '../domain/network-csv.js';
import type { NetworkSummary } from '../domain/network.js';
import { formatCount, formatNumber, formatPence, html, layout, type Markup } from './html.js';
import { renderLegend, renderMap, roleMark, type MapArea, type MapSite } from './map.js';

export interface CouncilRef {
  id: string;
  name: string;
}
export interface ScenarioRef {
  id: string;
  name: string;
}

export const pagePaths = {
  network: (councilId: string) => `/councils/${councilId}/view`,
  scenario: (councilId: string, scenarioId: string) => `/councils/${councilId}/view/scenarios/${scenarioId}`,
  compare: (councilId: string) => `/councils/${councilId}/compare`,
};

export const councilNav = (council: CouncilRef, scenarios: ScenarioRef[]) => [
  { href: pagePaths.network(council.id), label: `${council.name}: network` },
  { href: pagePaths.compare(council.id), label: 'Compare options' },
  ...scenarios.map((s) => ({ href: pagePaths.scenario(council.id, s.id), label: s.name })),
];

/** A money cell: the exact pence for machines (and the tests), whole pounds for people. */
export const penceCell = (pence: number, extra: Markup | string = '') => html`<td class="num" data-pence="${pence}">${formatPence(pence)}${extra}</td>`;
export const numberCell = (value: number | null, text: string) => html`<td class="num" data-value="${value ?? ''}">${text}</td>`;

/** A definition list of headline figures, each with its exact value in data-value. */
export function figures(items: { label: string; value: number | null; text: string; key: string }[]): Markup {
  return html`<dl class="figures">${items.map(
    (item) => html`<div data-figure="${item.key}" data-value="${item.value ?? ''}"><dt>${item.label}</dt><dd>${item.text}</dd></div>`,
  )}</dl>`;
}

export interface NetworkPageData {
  council: CouncilRef;
  scenarios: ScenarioRef[];
  summary: NetworkSummary;
  sites: SiteFigures[];
  map: { sites: MapSite[]; areas: MapArea[] };
}

export function networkPage({ council, scenarios, summary, sites, map }: NetworkPageData): string {
  const roles = Object.keys(summary.sites.byRole);
  const roleCounts = roles
    .map((role) => `${formatCount(summary.sites.byRole[role as keyof typeof summary.sites.byRole])} ${roleMark(role).label.toLowerCase()}`)
    .join(', ');
  const body = html`
<p class="lede">${formatCount(summary.sites.total)} sites (${roleCounts}; ${formatCount(summary.sites.byStatus.closed)} closed) serving ${formatCount(summary.areas.count)} areas with ${formatCount(summary.areas.under5s)} under-5s. Figures as of ${summary.asOf ?? 'any date'}.</p>
${figures([
  { key: 'grossCostPence', label: 'Annual cost', value: summary.annualCost.grossCostPence, text: formatPence(summary.annualCost.grossCostPence) },
  { key: 'annualIncomePence', label: 'Annual income', value: summary.annualIncomePence, text: formatPence(summary.annualIncomePence) },
  { key: 'netCostPence', label: 'Net cost', value: summary.netCostPence, text: formatPence(summary.netCostPence) },
  { key: 'totalFte', label: 'Staff (FTE)', value: summary.staff.totalFte, text: formatNumber(summary.staff.totalFte) },
  { key: 'under5s', label: 'Under-5s', value: summary.areas.under5s, text: formatCount(summary.areas.under5s) },
])}
<section aria-labelledby="map-heading">
<h2 id="map-heading">Map</h2>
<p class="hint">Tab to a site or an area, or point at it, for its details. <a href="#sites-heading">Skip the map</a>.</p>
${renderLegend({ roles, scenario: false })}
<figure class="map-figure">
${renderMap({
  id: 'network-map',
  ...map,
  title: `${council.name}: sites and areas`,
  description: `${summary.sites.total} sites drawn by role with spoke to hub links, and ${summary.areas.count} areas as dots shaded by deprivation decile and sized by under-5s. The sites table below lists every site by its number.`,
})}
<figcaption>Sites by role and number (see the table); areas shaded by deprivation decile, sized by under-5s.</figcaption>
</figure>
</section>
<section aria-labelledby="sites-heading">
<h2 id="sites-heading">Sites</h2>
<div class="scroll"><table id="sites-table">
<caption>Each site's costs, staff and income a year (income: streams active ${summary.asOf ?? 'at any time'})</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Site</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Hub</th><th scope="col" class="num">Hours a week</th><th scope="col" class="num">FTE</th><th scope="col" class="num">Staff</th><th scope="col" class="num">Premises</th><th scope="col" class="num">Running</th><th scope="col" class="num">Income</th></tr></thead>
<tbody>${sites.map(
    (row, index) =>
      html`<tr data-site="${row.site.id}"><td>${index + 1}</td><th scope="row">${row.site.name}</th><td>${roleMark(row.site.role).label}</td><td>${row.site.status}</td><td>${row.hub ? html`${row.hub.name} (${formatCount(row.distanceToHubM ?? 0)} m)` : '—'}</td>${numberCell(row.site.openingHoursPerWeek, formatNumber(row.site.openingHoursPerWeek))}${numberCell(row.fte, formatNumber(row.fte))}${penceCell(row.annualStaffPence)}${penceCell(row.site.annualPremisesCostPence)}${penceCell(row.site.annualRunningCostPence)}${penceCell(row.annualIncomePence)}</tr>`,
  )}</tbody>
<tfoot><tr><th scope="row" colspan="6">Network (open sites; income includes streams tied to no site)</th>${numberCell(summary.staff.totalFte, formatNumber(summary.staff.totalFte))}${penceCell(summary.annualCost.staffPence)}${penceCell(summary.annualCost.premisesPence)}${penceCell(summary.annualCost.runningPence)}${penceCell(summary.annualIncomePence)}</tr></tfoot>
</table></div>
</section>
<section aria-labelledby="scenarios-heading">
<h2 id="scenarios-heading">Options</h2>
${scenarios.length ? html`<ul>${scenarios.map((s) => html`<li><a href="${pagePaths.scenario(council.id, s.id)}">${s.name}</a></li>`)}</ul><p><a href="${pagePaths.compare(council.id)}">Compare every option side by side</a></p>` : html`<p>No scenarios yet: create them with POST /councils/${council.id}/scenarios.</p>`}
</section>`;
  return layout({ title: `${council.name}: the network`, nav: councilNav(council, scenarios), body });
}
