// HTML written as tagged templates: every interpolated value is escaped unless it is already markup.

/** Markup that is already safe (built by `html` or by the page code itself). */
export class Markup {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => escapes[c]!);

type Part = Markup | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Markup) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${name}</p>\``: values escaped, Markup and arrays of Markup kept as they are. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new Markup(out);
}

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** Pence as whole pounds, as the API's figures are read by a planner: £2,279,915. */
export const formatPence = (pence: number) => pounds.format(Math.round(pence / 100));
export const formatCount = (value: number) => whole.format(value);
export const formatNumber = (value: number) => decimal.format(value);
export const formatShare = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
export const formatMetres = (metres: number | null) => (metres === null ? '—' : `${whole.format(metres)} m`);

/** The pages' own stylesheet and script, served by the service (no other source is allowed). */
export const assetPaths = { css: '/pages/assets/pages.css', js: '/pages/assets/pages.js', icon: '/pages/assets/favicon.svg' } as const;

export interface Page {
  title: string;
  /** Breadcrumb-style links shown above the heading. */
  nav?: { href: string; label: string }[];
  body: Markup;
}

/** A whole page: headings, a skip link, the stylesheet and the script that shows map details on focus. */
export function layout({ title, nav = [], body }: Page): string {
  return `<!doctype html>${
    html`<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Centre Network</title>
<link rel="icon" href="${assetPaths.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assetPaths.css}">
<script src="${assetPaths.js}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<nav aria-label="Pages"><ul>${nav.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}</ul></nav>
${nav.length ? html`<form method="post" action="/logout" class="logout"><button type="submit">Sign out</button></form>` : ''}
</header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
<div id="tip" role="status" aria-live="polite" hidden></div>
</body>
</html>`.text
  }`;
}
