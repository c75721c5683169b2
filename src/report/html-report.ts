/**
 * A self-contained static HTML report: sections with text, tables and figures (SVG files next to
 * the report, referenced relatively), so a results folder can be opened in any browser or zipped.
 */

export interface ReportTable {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface ReportFigure {
  /** Path relative to the report file. */
  src: string;
  caption: string;
}

export interface ReportSection {
  id: string;
  heading: string;
  paragraphs?: string[];
  tables?: ReportTable[];
  figures?: ReportFigure[];
  /** Output files worth listing (relative paths). */
  files?: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cell(v: string | number): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5);
  return escapeHtml(v);
}

function table(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function figure(f: ReportFigure): string {
  return `<figure><img src="${escapeHtml(f.src)}" alt="${escapeHtml(f.caption)}" loading="lazy"><figcaption>${escapeHtml(f.caption)}</figcaption></figure>`;
}

const STYLE = `body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}caption{text-align:left;font-weight:bold;margin-bottom:.3em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
.figs{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;width:600px}figure img{width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}nav a{margin-right:1em}code{background:#f5f5f5;padding:0 .2em}.files{font-size:.85em;color:#555}`;

export function renderHtmlReport(title: string, intro: string[], sections: ReportSection[]): string {
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`).join('');
  const body = sections
    .map((s) => {
      const parts = [`<h2 id="${s.id}">${escapeHtml(s.heading)}</h2>`];
      for (const p of s.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
      for (const t of s.tables ?? []) parts.push(table(t));
      if (s.figures?.length) parts.push(`<div class="figs">${s.figures.map(figure).join('\n')}</div>`);
      if (s.files?.length) {
        const links = s.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(' · ');
        parts.push(`<p class="files">Files: ${links}</p>`);
      }
      return parts.join('\n');
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<nav>${nav}</nav>
${body}
</body></html>
`;
}
