// The scenario page: every figure comes from the evaluation GET …/scenarios/{id}/evaluation returns.
import type { PlanningWarning, ScenarioEvaluation } from '../schemas/scenario.js';
import { cashFlowChart } from './charts.js';
import { formatCount, formatMetres, formatNumber, formatPence, formatShare, html, layout, type Markup } from './html.js';
import { renderLegend, renderMap, type MapArea, type MapSite } from './map.js';
import { councilNav, figures, numberCell, penceCell, type CouncilRef, type ScenarioRef } from './network-page.js';

export interface ScenarioPageData {
  council: CouncilRef;
  scenarios: ScenarioRef[];
  scenario: ScenarioRef & { description: string };
  evaluation: ScenarioEvaluation;
  map: { sites: MapSite[]; areas: MapArea[] };
}

const change = (before: number, after: number, format: (v: number) => string) => `${format(before)} → ${format(after)}`;

/** The areas a warning names, as a table. */
function areaEvidence(evidence: {
  areas: { code: string; name: string; under5Population: number; deprivationDecile: number }[];
  under5s: number;
  deprivedUnder5s: number;
}): Markup {
  return html`<details><summary>${formatCount(evidence.areas.length)} areas, ${formatCount(evidence.under5s)} under-5s (${formatCount(evidence.deprivedUnder5s)} in deprived areas)</summary>
<table class="evidence"><thead><tr><th scope="col">Area</th><th scope="col">Code</th><th scope="col" class="num">Under-5s</th><th scope="col" class="num">Decile</th></tr></thead>
<tbody>${evidence.areas.map((a) => html`<tr><th scope="row">${a.name}</th><td>${a.code}</td><td class="num">${formatCount(a.under5Population)}</td><td class="num">${a.deprivationDecile}</td></tr>`)}</tbody></table></details>`;
}

function warningEvidence(warning: PlanningWarning): Markup {
  const { evidence } = warning;
  if ('areas' in evidence) return areaEvidence(evidence);
  return html`<dl class="evidence">${Object.entries(evidence).map(
    ([key, value]) => html`<div><dt>${key}</dt><dd>${key.endsWith('Pence') && typeof value === 'number' ? formatPence(value) : String(value)}</dd></div>`,
  )}</dl>`;
}

const categoryLabels: Record<string, string> = {
  staff: 'Staff',
  premises: 'Premises',
  running: 'Running',
  income: 'Income',
  redundancy: 'Redundancy (one-off)',
  closure_cost: 'Closure cost (one-off)',
  capital_cost: 'Capital cost (one-off)',
  capital_receipt: 'Capital receipt (one-off)',
};

export function scenarioPage({ council, scenarios, scenario, evaluation, map }: ScenarioPageData): string {
  const { baseline, savings } = evaluation;
  const after = evaluation.scenario;
  const changed = map.sites.filter((site) => site.changes.length > 0);
  const losing = evaluation.areasLosingCoverage;
  const body = html`
${scenario.description ? html`<p class="lede">${scenario.description}</p>` : ''}
<section aria-labelledby="headline-heading">
<h2 id="headline-heading">Headline figures</h2>
${figures([
  { key: 'annualSavingPence', label: 'Annual saving (year 1)', value: savings.annualSavingPence, text: formatPence(savings.annualSavingPence) },
  { key: 'oneOffPence', label: 'One-off cost', value: savings.oneOff.totalPence, text: formatPence(savings.oneOff.totalPence) },
  { key: 'npvPence', label: `NPV over ${evaluation.parameters.horizonYears} years`, value: savings.npvPence, text: formatPence(savings.npvPence) },
  {
    key: 'paybackYears',
    label: 'Payback',
    value: savings.paybackYears,
    text: savings.paybackYears === null ? 'not within the horizon' : `${formatNumber(savings.paybackYears)} years`,
  },
  {
    key: 'reachedUnder5s',
    label: 'Under-5s within reach',
    value: after.reach.reachedUnder5s,
    text: change(baseline.reach.reachedUnder5s, after.reach.reachedUnder5s, formatCount),
  },
  {
    key: 'deprivedReachedUnder5s',
    label: 'Deprived under-5s within reach',
    value: after.reach.deprivedReachedUnder5s,
    text: change(baseline.reach.deprivedReachedUnder5s, after.reach.deprivedReachedUnder5s, formatCount),
  },
  {
    key: 'reachShare',
    label: 'Share reached',
    value: after.reach.reachShare,
    text: `${formatShare(baseline.reach.reachShare)} → ${formatShare(after.reach.reachShare)}`,
  },
  { key: 'incomeLostPence', label: 'Income lost (year 1)', value: evaluation.incomeLost.year1Pence, text: formatPence(evaluation.incomeLost.year1Pence) },
  { key: 'totalFte', label: 'Staff (FTE)', value: after.staff.totalFte, text: change(baseline.staff.totalFte, after.staff.totalFte, formatNumber) },
  {
    key: 'openSites',
    label: 'Open sites',
    value: after.sites.byStatus.open,
    text: change(baseline.sites.byStatus.open, after.sites.byStatus.open, formatCount),
  },
])}
</section>
<section aria-labelledby="map-heading">
<h2 id="map-heading">What changes on the map</h2>
<p class="hint">Tab to a site or an area, or point at it, for its details. <a href="#changes-heading">Skip the map</a>.</p>
${renderLegend({ roles: [...new Set(map.sites.map((s) => s.role))], scenario: true })}
<figure class="map-figure">
${renderMap({
  id: 'scenario-map',
  ...map,
  title: `${scenario.name}: the network after the change`,
  description: `${changed.length} sites changed (ringed; closed sites hollow and crossed), ${losing.length} areas losing coverage (thick ring). The tables below list both.`,
})}
<figcaption>The network as the scenario leaves it. Ringed: sites the scenario changes. Thick ring: areas losing coverage.</figcaption>
</figure>
</section>
<section aria-labelledby="changes-heading">
<h2 id="changes-heading">Sites changed</h2>
<table id="changes-table"><thead><tr><th scope="col">No.</th><th scope="col">Site</th><th scope="col">Changes</th></tr></thead>
<tbody>${changed.map((site) => html`<tr data-site="${site.id}"><td>${site.number}</td><th scope="row">${site.name}</th><td>${site.changes.join('; ')}</td></tr>`)}</tbody></table>
<h3>Actions</h3>
<ol>${evaluation.actions.map((action) => html`<li>${action.description}</li>`)}</ol>
</section>
<section aria-labelledby="losing-heading">
<h2 id="losing-heading">Areas losing coverage</h2>
${
  losing.length
    ? html`<table id="losing-table"><caption>Areas whose nearest open site moves beyond ${formatMetres(evaluation.parameters.radiusM)}</caption>
<thead><tr><th scope="col">Area</th><th scope="col">Code</th><th scope="col" class="num">Under-5s</th><th scope="col" class="num">Decile</th><th scope="col" class="num">Nearest open site now</th><th scope="col" class="num">In the scenario</th></tr></thead>
<tbody>${losing.map((a) => html`<tr data-area="${a.code}"><th scope="row">${a.name}</th><td>${a.code}</td>${numberCell(a.under5Population, formatCount(a.under5Population))}<td class="num">${a.deprivationDecile}</td>${numberCell(a.baselineDistanceM, formatMetres(a.baselineDistanceM))}${numberCell(a.scenarioDistanceM, formatMetres(a.scenarioDistanceM))}</tr>`)}</tbody></table>`
    : html`<p>No area loses coverage.</p>`
}
</section>
<section aria-labelledby="cash-heading">
<h2 id="cash-heading">Cash flow</h2>
<figure>${cashFlowChart('cash-flow-chart', savings.oneOff.totalPence, savings.cashFlow)}<figcaption>One-off cost in year 0, then the saving each year; the line is the running position after the one-off cost.</figcaption></figure>
<div class="scroll"><table id="cash-flow-table"><caption>Year by year (year 0: one-off cost ${formatPence(savings.oneOff.totalPence)})</caption>
<thead><tr><th scope="col">Year</th><th scope="col">From</th><th scope="col" class="num">Net cost now</th><th scope="col" class="num">Net cost in the scenario</th><th scope="col" class="num">Saving</th><th scope="col" class="num">Cumulative saving</th><th scope="col" class="num">Present value</th></tr></thead>
<tbody>${savings.cashFlow.map((y) => html`<tr data-year="${y.year}"><th scope="row">${y.year}</th><td>${y.startDate}</td>${penceCell(y.baselineNetCostPence)}${penceCell(y.scenarioNetCostPence)}${penceCell(y.savingPence)}${penceCell(y.cumulativeSavingPence)}${penceCell(y.presentValuePence)}</tr>`)}</tbody></table></div>
</section>
<section aria-labelledby="warnings-heading">
<h2 id="warnings-heading">Warnings (${evaluation.warnings.length})</h2>
${
  evaluation.warnings.length
    ? html`<ul class="warnings" id="warnings">${evaluation.warnings.map((w) => html`<li data-code="${w.code}"><p><strong>${w.code.replaceAll('_', ' ')}</strong>: ${w.message}</p>${warningEvidence(w)}</li>`)}</ul>`
    : html`<p>None.</p>`
}
</section>
<section aria-labelledby="items-heading">
<h2 id="items-heading">Line items</h2>
<div class="scroll"><table id="line-items-table"><caption>Year-1 figures by source (one-offs in year 0); every figure traces to a site, post or income stream</caption>
<thead><tr><th scope="col">Category</th><th scope="col">Source</th><th scope="col">Action</th><th scope="col" class="num">Now</th><th scope="col" class="num">Scenario</th><th scope="col" class="num">Change</th></tr></thead>
<tbody>${evaluation.lineItems.map((item) => html`<tr${item.baselinePence !== item.scenarioPence ? html` class="changed-row"` : ''}><td>${categoryLabels[item.category] ?? item.category}</td><th scope="row">${item.description}</th><td>${item.actionIndex === null ? '—' : `#${item.actionIndex + 1}`}</td>${penceCell(item.baselinePence)}${penceCell(item.scenarioPence)}${penceCell(item.scenarioPence - item.baselinePence)}</tr>`)}</tbody></table></div>
</section>`;
  return layout({ title: scenario.name, nav: councilNav(council, scenarios), body });
}
