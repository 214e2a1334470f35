// Charts as server-rendered SVG. Each has a title and a description, and the page shows the same
// figures in a table beside it: the chart is never the only way to read them.
import { formatCount, formatPence, html, type Markup } from './html.js';

/** About five round steps covering [min, max], 0 included. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const low = Math.min(0, min);
  const high = Math.max(0, max);
  const span = high - low || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.floor(low / step) * step; v <= high + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1]! < high) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const scale = (domain: [number, number], range: [number, number]) => (v: number) =>
  Math.round((range[0] + ((v - domain[0]) / (domain[1] - domain[0] || 1)) * (range[1] - range[0])) * 10) / 10;

function chartShell(id: string, title: string, description: string, frame: Frame, inner: Markup): Markup {
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description}</desc>
${inner}
</svg>`;
}

export interface CashFlowYear {
  year: number;
  savingPence: number;
  cumulativeSavingPence: number;
}

/**
 * Year 0 is the one-off cost (an outflow); years 1… the saving each year as bars, and the running
 * position (saving so far less the one-off cost) as a line: where it crosses zero, the change has paid for itself.
 */
export function cashFlowChart(id: string, oneOffPence: number, years: CashFlowYear[]): Markup {
  const frame: Frame = { width: 720, height: 300, left: 90, right: 20, top: 20, bottom: 40 };
  const bars = [
    { year: 0, value: -oneOffPence, position: -oneOffPence },
    ...years.map((y) => ({ year: y.year, value: y.savingPence, position: y.cumulativeSavingPence - oneOffPence })),
  ];
  const values = bars.flatMap((b) => [b.value, b.position]);
  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const y = scale([ticks[0]!, ticks[ticks.length - 1]!], [frame.height - frame.bottom, frame.top]);
  const band = (frame.width - frame.left - frame.right) / bars.length;
  const x = (index: number) => Math.round((frame.left + band * (index + 0.5)) * 10) / 10;
  const barWidth = Math.round(band * 0.5);
  const grid = ticks.map(
    (t) =>
      html`<line class="grid${t === 0 ? ' zero' : ''}" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y(t)}" y2="${y(t)}"/><text class="tick" x="${frame.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatPence(t)}</text>`,
  );
  const barMarks = bars.map((b, index) => {
    const top = Math.min(y(b.value), y(0));
    const heightPx = Math.abs(y(b.value) - y(0));
    return html`<rect class="bar ${b.value < 0 ? 'outflow' : 'inflow'}" data-year="${b.year}" data-pence="${b.value}" x="${x(index) - barWidth / 2}" y="${top}" width="${barWidth}" height="${Math.max(heightPx, 0.5)}"><title>Year ${b.year}: ${b.year === 0 ? 'one-off cost' : 'saving'} ${formatPence(b.value)}</title></rect><text class="tick" x="${x(index)}" y="${frame.height - frame.bottom + 16}" text-anchor="middle">Year ${b.year}</text>`;
  });
  const line = bars.map((b, index) => `${index === 0 ? 'M' : 'L'}${x(index)} ${y(b.position)}`).join('');
  const points = bars.map(
    (b, index) =>
      html`<circle class="position" data-year="${b.year}" data-pence="${b.position}" cx="${x(index)}" cy="${y(b.position)}" r="4"><title>After year ${b.year}: ${formatPence(b.position)} saved less the one-off cost</title></circle>`,
  );
  const description =
    `Bars: the one-off cost in year 0 (${formatPence(oneOffPence)}) and the saving in each of years 1 to ${years.length}. ` +
    `Line with dots: savings so far less the one-off cost, ${formatPence(bars[bars.length - 1]!.position)} after year ${years.length}. The table below gives every figure.`;
  return chartShell(id, 'Cash flow by year', description, frame, html`${grid}${barMarks}<path class="position-line" d="${line}"/>${points}`);
}

export interface ScatterPoint {
  /** Short label drawn beside the point (the option's number). */
  label: string;
  name: string;
  x: number;
  y: number;
  dominated: boolean;
  isBaseline: boolean;
}

/**
 * Annual saving (x, pence) against under-5s reached (y). The options no other option beats (not
 * dominated) are joined by a line, in order of saving: the trade-off a planner chooses along.
 */
export function savingReachChart(id: string, title: string, yLabel: string, points: ScatterPoint[]): Markup {
  const frame: Frame = { width: 460, height: 300, left: 70, right: 20, top: 20, bottom: 50 };
  const xTicks = niceTicks(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)), 4);
  const yTicks = niceTicks(0, Math.max(...points.map((p) => p.y)), 4);
  const x = scale([xTicks[0]!, xTicks[xTicks.length - 1]!], [frame.left, frame.width - frame.right]);
  const y = scale([yTicks[0]!, yTicks[yTicks.length - 1]!], [frame.height - frame.bottom, frame.top]);
  const grid = html`${xTicks.map(
    (t) =>
      html`<line class="grid${t === 0 ? ' zero' : ''}" x1="${x(t)}" x2="${x(t)}" y1="${frame.top}" y2="${frame.height - frame.bottom}"/><text class="tick" x="${x(t)}" y="${frame.height - frame.bottom + 14}" text-anchor="middle">${formatPence(t)}</text>`,
  )}${yTicks.map(
    (t) =>
      html`<line class="grid" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y(t)}" y2="${y(t)}"/><text class="tick" x="${frame.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatCount(t)}</text>`,
  )}`;
  const frontier = points
    .filter((p) => !p.dominated)
    .sort((a, b) => a.x - b.x)
    .map((p, index) => `${index === 0 ? 'M' : 'L'}${x(p.x)} ${y(p.y)}`)
    .join('');
  const marks = points.map(
    (p) =>
      html`<g class="point${p.dominated ? ' dominated' : ''}${p.isBaseline ? ' baseline' : ''}" data-option="${p.name}" data-x="${p.x}" data-y="${p.y}"><title>${p.name}: saving ${formatPence(p.x)} a year, ${formatCount(p.y)} ${yLabel}${p.dominated ? ' (dominated)' : ''}</title>${
        p.dominated ? html`<rect x="${x(p.x) - 5}" y="${y(p.y) - 5}" width="10" height="10"/>` : html`<circle cx="${x(p.x)}" cy="${y(p.y)}" r="6"/>`
      }<text class="point-label" x="${x(p.x) + 9}" y="${y(p.y) - 7}">${p.label}</text></g>`,
  );
  const description =
    `Each option as a point: annual saving across, ${yLabel} up. ` +
    points.map((p) => `${p.label} ${p.name}: ${formatPence(p.x)}, ${formatCount(p.y)}${p.dominated ? ', dominated' : ''}`).join('; ') +
    '. Circles joined by the line are the options no other beats on saving and reach together; squares are dominated.';
  return chartShell(
    id,
    title,
    description,
    frame,
    html`${grid}<path class="frontier" d="${frontier}"/>${marks}<text class="axis-label" x="${(frame.left + frame.width - frame.right) / 2}" y="${frame.height - 8}" text-anchor="middle">Annual saving</text><text class="axis-label" transform="translate(14 ${(frame.top + frame.height - frame.bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  );
}
