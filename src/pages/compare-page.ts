// The comparison page: the rows of GET …/comparisons, a small map per option and the trade-off charts.
import type { Comparison, ComparisonRow } from '../schemas/scenario.js';
import { savingReachChart, type ScatterPoint } from './charts.js';
import { formatCount, formatMetres, formatNumber, formatPence, formatShare, html, layout } from './html.js';
import { renderLegend, renderMap, type MapArea, type MapSite } from './map.js';
import { councilNav, pagePaths, type CouncilRef, type ScenarioRef } from './network-page.js';

export interface ComparePageData {
  council: CouncilRef;
  scenarios: ScenarioRef[];
  comparison: Comparison;
  /** One map per row of the comparison, in its order (the baseline first). */
  maps: { sites: MapSite[]; areas: MapArea[] }[];
}

interface Metric {
  key: string;
  label: string;
  value: (row: ComparisonRow) => number | null;
  text: (value: number) => string;
  /** Which way is better; none for figures that are neither (staff, sites). */
  better: 'higher' | 'lower' | 'none';
  /** The baseline row has no value of its own here (payback, rank). */
  optionsOnly?: boolean;
}

const metrics: Metric[] = [
  { key: 'annualSavingPence', label: 'Annual saving', value: (r) => r.annualSavingPence, text: formatPence, better: 'higher' },
  { key: 'oneOffCostPence', label: 'One-off cost', value: (r) => r.oneOffCostPence, text: formatPence, better: 'lower', optionsOnly: true },
  { key: 'npvPence', label: 'NPV', value: (r) => r.npvPence, text: formatPence, better: 'higher' },
  { key: 'paybackYears', label: 'Payback (years)', value: (r) => r.paybackYears, text: formatNumber, better: 'lower', optionsOnly: true },
  { key: 'netCostPence', label: 'Net cost a year', value: (r) => r.netCostPence, text: formatPence, better: 'lower' },
  { key: 'reachedUnder5s', label: 'Under-5s within reach', value: (r) => r.reachedUnder5s, text: formatCount, better: 'higher' },
  { key: 'reachShare', label: 'Share reached', value: (r) => r.reachShare, text: formatShare, better: 'higher' },
  { key: 'deprivedReachedUnder5s', label: 'Deprived under-5s within reach', value: (r) => r.deprivedReachedUnder5s, text: formatCount, better: 'higher' },
  { key: 'deprivedReachShare', label: 'Deprived share reached', value: (r) => r.deprivedReachShare, text: formatShare, better: 'higher' },
  { key: 'under5sNoLongerReached', label: 'Under-5s no longer reached', value: (r) => r.under5sNoLongerReached, text: formatCount, better: 'lower' },
  { key: 'meanDistanceM', label: 'Mean distance to a site', value: (r) => r.meanDistanceM, text: formatMetres, better: 'lower' },
  { key: 'incomeLostPence', label: 'Income lost (year 1)', value: (r) => r.incomeLostPence, text: formatPence, better: 'lower' },
  { key: 'fte', label: 'Staff (FTE)', value: (r) => r.fte, text: formatNumber, better: 'none' },
  { key: 'openSites', label: 'Open sites', value: (r) => r.openSites, text: formatCount, better: 'none' },
  { key: 'rank', label: 'Rank', value: (r) => r.rank, text: formatCount, better: 'lower', optionsOnly: true },
];

/** The best value of a metric among the rows that have one (ties are all best). */
function best(metric: Metric, rows: ComparisonRow[]): number | null {
  if (metric.better === 'none') return null;
  const values = rows.filter((r) => !(metric.optionsOnly && r.isBaseline)).flatMap((r) => (metric.value(r) === null ? [] : [metric.value(r)!]));
  if (values.length < 2) return null;
  return metric.better === 'higher' ? Math.max(...values) : Math.min(...values);
}

export function comparePage({ council, scenarios, comparison, maps }: ComparePageData): string {
  const { rows } = comparison;
  const nameOf = new Map(rows.map((r) => [r.optionId, r.name]));
  const label = (index: number) => (rows[index]!.isBaseline ? 'B' : String(rows.filter((r, i) => i < index && !r.isBaseline).length + 1));
  const dominatedNote = (row: ComparisonRow) => (row.dominatedBy.length ? `dominated by ${row.dominatedBy.map((id) => nameOf.get(id) ?? id).join(', ')}` : '');
  const points = (y: (row: ComparisonRow) => number): ScatterPoint[] =>
    rows.map((row, index) => ({
      label: label(index),
      name: row.name,
      x: row.annualSavingPence,
      y: y(row),
      dominated: row.dominatedBy.length > 0,
      isBaseline: row.isBaseline,
    }));
  const roles = [...new Set(maps.flatMap((m) => m.sites.map((s) => s.role)))];
  const body = html`
<p class="lede">${rows.length} options side by side${comparison.sameParameters ? '' : html` — <strong>evaluated with different parameters: compare with care</strong>`}. Best value in each row marked ★; options another beats on saving and reach together (dominated) are greyed and say so.</p>
<section aria-labelledby="maps-heading">
<h2 id="maps-heading">Each option on the map</h2>
${renderLegend({ roles, scenario: true })}
<div class="small-maps">${rows.map((row, index) => {
    const map = maps[index]!;
    const closed = map.sites.filter((s) => s.status !== 'open').length;
    const losing = map.areas.filter((a) => a.losingCoverage).length;
    return html`<figure class="small-map${row.dominatedBy.length ? ' dominated' : ''}" data-option="${row.optionId}">
<figcaption><span class="option-label">${label(index)}</span> ${row.isBaseline ? html`${row.name}` : html`<a href="${pagePaths.scenario(council.id, row.optionId)}">${row.name}</a>`}${row.dominatedBy.length ? html` <em>(${dominatedNote(row)})</em>` : ''}</figcaption>
${renderMap({
  id: `map-${index}`,
  ...map,
  small: true,
  title: `${row.name}: map`,
  description: `${row.openSites} open sites, ${closed} closed, ${losing} areas losing coverage.`,
})}
<p class="map-note">${formatCount(row.openSites)} open, ${formatCount(closed)} closed; ${formatCount(losing)} areas losing coverage</p>
</figure>`;
  })}</div>
</section>
<section aria-labelledby="table-heading">
<h2 id="table-heading">Headline figures</h2>
<div class="scroll"><table id="comparison-table">
<caption>Each option against the network as it stands (★ best in the row)</caption>
<thead><tr><th scope="col">Figure</th>${rows.map(
    (row, index) =>
      html`<th scope="col" data-option="${row.optionId}"${row.dominatedBy.length ? html` class="dominated"` : ''}><span class="option-label">${label(index)}</span> ${row.name}${row.dominatedBy.length ? html`<br><small>(${dominatedNote(row)})</small>` : ''}</th>`,
  )}</tr></thead>
<tbody>${metrics.map((metric) => {
    const top = best(metric, rows);
    return html`<tr data-metric="${metric.key}"><th scope="row">${metric.label}${metric.better === 'none' ? '' : html` <small>(${metric.better} is better)</small>`}</th>${rows.map(
      (row) => {
        const value = metric.optionsOnly && row.isBaseline ? null : metric.value(row);
        const isBest = top !== null && value === top;
        const classes = [row.dominatedBy.length ? 'dominated' : '', isBest ? 'best' : '', 'num'].filter(Boolean).join(' ');
        return html`<td class="${classes}" data-option="${row.optionId}" data-value="${value ?? ''}">${isBest ? html`<span aria-hidden="true">★ </span>` : ''}${value === null ? '—' : metric.text(value)}${isBest ? html`<span class="visually-hidden"> (best)</span>` : ''}</td>`;
      },
    )}</tr>`;
  })}</tbody></table></div>
</section>
<section aria-labelledby="charts-heading">
<h2 id="charts-heading">Saving against reach</h2>
<p>Each option's annual saving against the under-5s it keeps within reach, overall and in the most deprived areas. Circles joined by a line are the options no other beats on both (the frontier of these options); squares are dominated. Labels: B the baseline, then the options by number.</p>
<div class="charts">
<figure>${savingReachChart(
    'reach-chart',
    'Annual saving against under-5s within reach',
    'under-5s within reach',
    points((r) => r.reachedUnder5s),
  )}<figcaption>All under-5s</figcaption></figure>
<figure>${savingReachChart(
    'deprived-reach-chart',
    'Annual saving against deprived under-5s within reach',
    'deprived under-5s within reach',
    points((r) => r.deprivedReachedUnder5s),
  )}<figcaption>Under-5s in the most deprived areas</figcaption></figure>
</div>
</section>`;
  return layout({ title: `${council.name}: options compared`, nav: councilNav(council, scenarios), body });
}
