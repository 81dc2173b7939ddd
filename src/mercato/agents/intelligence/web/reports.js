// Intelligence reports in the console: the renderer every answer shares (the ask page's and a
// stored report's) and the reports' list (/admin/intelligence/reports[/:id]). A report is
// drawn from its JSON (summary, confidence, metrics, risks, actions, insights, uncertainty,
// data quality, charts, evidence); every finding's evidence ids are links to the evidence
// list below it. All of it is inserted as text: a question or a review is user input.
import { html, useEffect, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { credentials } from "mercato/lib/credentials.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ForecastChart } from "./charts.js";
import { Tabs } from "./parts.js";

stylesheet();

/** ask.css, beside intelligence.css (parts.js adds that one on import). */
export function stylesheet() {
  if (document.getElementById("intelligence-ask-css")) return;
  const link = document.createElement("link");
  link.id = "intelligence-ask-css";
  link.rel = "stylesheet";
  link.href = new URL("./ask.css", import.meta.url).href;
  document.head.append(link);
}

export { Tabs };

const TONE = {
  low: "info", medium: "warn", high: "bad", critical: "bad",
  complete: "good", done: "good", ok: "good", partial: "warn", insufficient: "warn", limited: "warn",
  queued: "muted", waiting: "muted", running: "info", failed: "bad", timeout: "bad", skipped: "muted",
  quick: "info", deep: "info", open: "warn", acknowledged: "muted",
};
const SAID = { ok: "done", queued: "waiting", timeout: "timed out" };

/** A badge whose words say what its colour says. */
export function Tag({ status, label, tone, kind = "" }) {
  return html`<span class=${`badge ${tone || TONE[status] || "muted"} ${kind}`}>${label || words(SAID[status] || status)}</span>`;
}

const MAX_FRACTION = (unit) => (unit === "count" ? 0 : unit === "score" ? 2 : 1);

/** A figure in its unit: "currency:EUR" as money, a percent with its sign, units rounded. */
export function figure(value, unit) {
  if (value === null || value === undefined) return "—";
  const n = Number(value);
  if (unit?.startsWith("currency:")) return money(n, unit.slice(9));
  const text = n.toLocaleString(undefined, { maximumFractionDigits: MAX_FRACTION(unit) });
  if (unit === "percent") return `${text} %`;
  if (unit === "days") return `${text} days`;
  if (unit === "units") return `${Math.round(n).toLocaleString()} units`;
  return text;
}

function change(metric) {
  if (metric.change === null || metric.change === undefined) return null;
  const sign = metric.change > 0 ? "+" : metric.change < 0 ? "−" : "±";
  const size = Math.abs(metric.change);
  const amount = metric.unit === "percent"
    ? `${size.toLocaleString(undefined, { maximumFractionDigits: 1 })} points`
    : figure(size, metric.unit);
  const relative = metric.change_percent === null || metric.change_percent === undefined || metric.unit === "percent"
    ? "" : ` (${metric.change_percent > 0 ? "+" : ""}${Number(metric.change_percent).toFixed(1)} %)`;
  return `${sign}${amount}${relative}`;
}

const ARROW = { up: "▲", down: "▼", flat: "▬" };

/** The evidence a finding stands on: numbered links to its entries (the first few, then more). */
function Cites({ ids, index, onCite, prefix }) {
  const [all, setAll] = useState(false);
  const known = (ids || []).filter((id) => index.has(id));
  if (!known.length) return null;
  const shown = all ? known : known.slice(0, 6);
  return html`<span class="i-cites">
    <span class="muted">Evidence</span>
    ${shown.map((id) => {
      const { n, entry } = index.get(id);
      return html`<a href=${`#${prefix}-${n}`} class="i-cite" aria-label=${`Evidence ${n}: ${entry.label}`} title=${entry.label}
        onClick=${(e) => { e.preventDefault(); onCite(n); }}>${n}</a>`;
    })}
    ${known.length > shown.length && html`<button type="button" class="link-button" onClick=${() => setAll(true)}>+${known.length - shown.length} more</button>`}
  </span>`;
}

function MetricCard({ m, cite }) {
  const moved = change(m);
  return html`<li class="panel i-metric">
    <span class="i-metric-label">${m.label}</span>
    <b class="i-metric-value">${figure(m.value, m.unit)}</b>
    <span class=${`i-trend ${m.trend}`}>
      ${ARROW[m.trend] && html`<span aria-hidden="true">${ARROW[m.trend]} </span>`}
      ${moved ? `${moved}` : m.trend === "unknown" ? "" : words(m.trend)}
      ${m.previous !== null && m.previous !== undefined && html`<span class="muted"> from ${figure(m.previous, m.unit)}</span>`}
      <span class="visually-hidden">${m.trend === "unknown" ? "" : `, trend ${m.trend}`}</span>
    </span>
    ${m.period && html`<span class="muted i-small">${m.period}</span>`}
    ${cite(m.evidence)}
  </li>`;
}

function Confidence({ c }) {
  if (!c) return null;
  const pct = Math.round((c.overall || 0) * 100);
  const agents = Object.entries(c.by_agent || {});
  return html`<div class="i-confidence">
    <span><b>${words(c.label)} confidence</b> (${pct} %)</span>
    <div class=${`i-bar ${c.label}`} role="img" aria-label=${`Confidence ${pct} %, ${c.label}`}><span style=${`width:${pct}%`}></span></div>
    ${agents.length > 1 && html`<span class="muted i-small">${agents.map(([a, v]) => `${words(a)} ${Math.round(v * 100)} %`).join(" · ")}</span>`}
  </div>`;
}

// ---- charts (inline SVG; images to assistive technology, their figures in <title>s) ----

function PriceGapChart({ data, title }) {
  const rows = (data.competitors || []).filter((c) => c.gap_percent !== null && c.gap_percent !== undefined);
  if (!rows.length) return html`<p class="muted">No comparable competitor price.</p>`;
  const w = 640, row = 30, left = 180, right = 70, top = 22;
  const h = top + rows.length * row + 10;
  const reach = Math.max(5, ...rows.map((c) => Math.abs(c.gap_percent))) * 1.1;
  const mid = left + (w - left - right) / 2;
  const x = (v) => mid + (v / reach) * ((w - left - right) / 2);
  const label = `${title}: the store asks ${money(data.store_price, data.currency)}; ` +
    rows.map((c) => `${c.name} ${money(c.price, data.currency)} (${c.gap_percent > 0 ? "+" : ""}${c.gap_percent.toFixed(1)} %)`).join(", ");
  return html`<svg class="i-chart" viewBox=${`0 0 ${w} ${h}`} width="100%" role="img" aria-label=${label}>
    <text x=${mid} y="12" text-anchor="middle" class="axis-note">← store cheaper · store dearer →</text>
    <line x1=${mid} x2=${mid} y1=${top - 4} y2=${h - 6} class="zero" />
    ${rows.map((c, i) => {
      const y = top + i * row;
      const a = x(Math.min(0, c.gap_percent)), b = x(Math.max(0, c.gap_percent));
      return html`<g>
        <text x=${left - 8} y=${y + 18} text-anchor="end">${c.name.length > 26 ? `${c.name.slice(0, 25)}…` : c.name}</text>
        <rect x=${a} y=${y + 6} width=${Math.max(1, b - a)} height="16" rx="2" class=${c.gap_percent > 0 ? "dearer" : "cheaper"}>
          <title>${c.name}: ${money(c.price, data.currency)}, the store is ${Math.abs(c.gap_percent).toFixed(1)} % ${c.gap_percent > 0 ? "dearer" : "cheaper"}</title></rect>
        <text x=${c.gap_percent > 0 ? b + 6 : a - 6} y=${y + 18} text-anchor=${c.gap_percent > 0 ? "start" : "end"} class="value">${c.gap_percent > 0 ? "+" : ""}${c.gap_percent.toFixed(1)} %</text>
      </g>`;
    })}
  </svg>
  <p class="muted i-small">The store asks ${money(data.store_price, data.currency)} for ${data.product}.</p>`;
}

/** A line over labelled points: [{label, value, note}] (`zero`: draw 0; `lo`/`hi`: the range). */
export function LineChart({ points, label, lo, hi, zero = false, unit = "" }) {
  if (!points?.length) return null;
  const w = 640, h = 200, left = 48, right = 28, top = 12, bottom = 26;
  const values = points.map((p) => p.value);
  const low = lo ?? Math.min(0, ...values), high = hi ?? (Math.max(...values) * 1.08 || 1);
  const x = (i) => left + (points.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (points.length - 1));
  const y = (v) => top + (1 - (v - low) / (high - low || 1)) * (h - top - bottom);
  const line = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const ticks = zero ? [low, 0, high] : [low, (low + high) / 2, high];
  const every = Math.max(1, Math.ceil(points.length / 7));
  const tick = (v) => (Math.abs(high - low) < 5 ? v.toFixed(1) : Math.round(v).toLocaleString());
  return html`<svg class="i-chart" viewBox=${`0 0 ${w} ${h}`} width="100%" role="img" aria-label=${label}>
    ${ticks.map((t) => html`<g><line x1=${left} x2=${w - right} y1=${y(t)} y2=${y(t)} class=${zero && t === 0 ? "zero" : "grid"} /><text x=${left - 6} y=${y(t) + 4} text-anchor="end">${tick(t)}${unit}</text></g>`)}
    <path d=${line} class="line" fill="none" />
    ${points.map((p, i) => html`<circle cx=${x(i)} cy=${y(p.value)} r=${points.length > 40 ? 2 : 4} class="dot"><title>${p.label}: ${p.note || p.value}</title></circle>`)}
    ${points.map((p, i) => (i % every === 0 ? html`<text x=${x(i)} y=${h - 8} text-anchor=${i === points.length - 1 && i > 0 ? "end" : i === 0 ? "start" : "middle"}>${p.short || p.label}</text>` : null))}
  </svg>`;
}

function SentimentLine({ data, title }) {
  const points = (data.points || []).map((p) => ({
    label: p.period, short: p.period.length > 7 ? p.period.slice(5) : p.period, value: p.polarity,
    note: `polarity ${p.polarity.toFixed(2)} over ${p.count} reviews`,
  }));
  const label = `${title}: ${points.map((p) => `${p.label} ${p.value.toFixed(2)}`).join(", ")}`;
  return html`<${LineChart} points=${points} label=${label} lo=${-1} hi=${1} zero />
    <p class="muted i-small">Polarity from −1 (negative) to 1 (positive), by ${data.granularity || "month"}.</p>`;
}

function SalesTrend({ data, title }) {
  const points = (data.points || []).map((p) => ({ label: p.date, short: p.date.slice(5), value: p.units, note: `${p.units.toLocaleString()} units` }));
  const total = (n) => Math.round(n).toLocaleString();
  return html`<${LineChart} points=${points} label=${`${title}: ${total(data.current_total)} units in ${data.period || "the period"}, against ${total(data.previous_total)} before`} />
    <p class="muted i-small">${total(data.current_total)} units${data.period ? ` in ${data.period}` : ""}; ${total(data.previous_total)} in the period before.</p>`;
}

function ForecastBand({ data, title }) {
  const history = data.history || [];
  const sold = history.reduce((sum, p) => sum + p.units, 0);
  return html`<${ForecastChart} points=${data.points} label=${title} />
    <p class="muted i-small">Darker band: 80 % interval; lighter: 95 %.${history.length ? ` ${Math.round(sold).toLocaleString()} units sold in the ${history.length} days before.` : ""}</p>`;
}

const CHARTS = { price_gap: PriceGapChart, sentiment_trend: SentimentLine, sales_trend: SalesTrend, forecast_band: ForecastBand };

function Chart({ chart, cite }) {
  const Drawn = CHARTS[chart.kind];
  return html`<figure class="panel i-figure">
    <figcaption><b>${chart.title}</b></figcaption>
    ${Drawn ? html`<${Drawn} data=${chart.data || {}} title=${chart.title} />` : html`<p class="muted">${words(chart.kind)}: no drawing for this kind.</p>`}
    ${cite(chart.evidence)}
  </figure>`;
}

// ---- evidence ----

function Evidence({ entry, n, lit, prefix }) {
  const [open, setOpen] = useState(null);
  const [shown, setShown] = useState({});
  const look = (what, path) => async () => {
    if (open === what) return setOpen(null);
    setOpen(what);
    if (shown[what]) return;
    try {
      setShown((s) => ({ ...s, [what]: { data: null } }));
      const data = await api("GET", path);
      setShown((s) => ({ ...s, [what]: { data } }));
    } catch (problem) {
      setShown((s) => ({ ...s, [what]: { problem } }));
    }
  };
  const view = open && shown[open];
  const product = entry.kind === "product" && entry.record_id;
  return html`<li id=${`${prefix}-${n}`} tabindex="-1" class=${lit ? "i-evidence lit" : "i-evidence"}>
    <span class="i-ev-n">${n}</span>
    <div class="i-ev-body">
      <div>${entry.label} <span class="muted i-small">· ${words(entry.kind)}${entry.observed_at ? ` · ${when(entry.observed_at)}` : ""}</span></div>
      <div class="i-ev-links">
        ${product && html`<${Link} to=${`/admin/intelligence/products/${encodeURIComponent(entry.record_id)}`}>Product's analyses</${Link}>`}
        ${entry.href && html`<button type="button" class="link-button" aria-expanded=${open === "record"} onClick=${look("record", entry.href)}>Record</button>`}
        ${entry.lineage && html`<button type="button" class="link-button" aria-expanded=${open === "lineage"} onClick=${look("lineage", entry.lineage)}>Lineage</button>`}
        ${entry.href && html`<button type="button" class="link-button" aria-label=${`Open the record of evidence ${n} in a new tab`} onClick=${() => fetched(entry.href, { open: true }).catch(() => {})}>Open in a new tab</button>`}
      </div>
      ${view && (view.problem ? html`<${ProblemBox} problem=${view.problem} />` : view.data ? html`<pre class="preview">${JSON.stringify(view.data, null, 2)}</pre>` : html`<${Loading} />`)}
    </div>
  </li>`;
}

function EvidenceList({ entries, lit, prefix }) {
  const [all, setAll] = useState(false);
  const limit = 30;
  const litIndex = lit ? lit - 1 : -1;
  const shown = all || litIndex >= limit ? entries : entries.slice(0, limit);
  return html`<ol class="i-evidence-list">${shown.map((e, i) => html`<${Evidence} key=${e.id} entry=${e} n=${i + 1} lit=${lit === i + 1} prefix=${prefix} />`)}</ol>
    ${shown.length < entries.length && html`<button type="button" class="button secondary" onClick=${() => setAll(true)}>Show all ${entries.length} records</button>`}`;
}

/** Fetch a report's rendering with the caller's credentials; `open`: a new tab, else a download. */
async function fetched(path, { open, name }) {
  const tab = open ? window.open("", "_blank") : null;
  const response = await fetch(path, { headers: credentials() });
  if (!response.ok) {
    tab?.close();
    throw new Error(`the server answered ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  if (tab) tab.location = url;
  else {
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ReportFiles({ id }) {
  const [failed, setFailed] = useState(null);
  const base = `/v1/intelligence/reports/${encodeURIComponent(id)}`;
  const run = (how) => async () => {
    setFailed(null);
    try {
      await fetched(how === "html" ? `${base}.html` : `${base}.pdf`, { open: how === "html", name: `report-${id}.pdf` });
    } catch (e) {
      setFailed(`The ${how === "html" ? "page" : "PDF"} could not be fetched: ${e.message}.`);
    }
  };
  return html`<div class="i-files">
    <button type="button" class="button secondary" onClick=${run("html")}>Open as page</button>
    <button type="button" class="button secondary" onClick=${run("pdf")}>Download PDF</button>
    ${failed && html`<span class="field-error" role="alert">${failed}</span>`}
  </div>`;
}

/** A whole report. `heading`: the level of its section headings (2 on its own page). */
export function ReportView({ report: r, heading = 2 }) {
  const [lit, setLit] = useState(null);
  const index = new Map((r.evidence || []).map((e, i) => [e.id, { n: i + 1, entry: e }]));
  const H = `h${heading}`;
  const prefix = `ev-${r.id}`;
  useEffect(() => {
    if (!lit) return;
    const found = document.getElementById(`${prefix}-${lit.n}`);
    found?.scrollIntoView({ block: "center", behavior: "smooth" });
    found?.focus({ preventScroll: true });
  }, [lit]);
  const cite = (ids) => html`<${Cites} ids=${ids} index=${index} onCite=${(n) => setLit({ n, at: Date.now() })} prefix=${prefix} />`;
  const actions = [...(r.actions || [])].sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99));
  const section = (title, body, cls = "") => html`<section class=${`i-section ${cls}`}><${H}>${title}</${H}>${body}</section>`;
  return html`<article class="i-report" aria-label=${`Report: ${r.question}`}>
    <div class="i-report-head">
      <div class="i-report-meta">
        <${Tag} status=${r.mode} label=${r.mode === "deep" ? "Deep" : "Quick"} /> <${Tag} status=${r.status} />
        <span class="muted i-small">${when(r.created_at)} · ${(r.duration_ms / 1000).toFixed(1)} s${r.scope?.period?.label ? ` · ${r.scope.period.label}` : ""}</span>
      </div>
      <${ReportFiles} id=${r.id} />
    </div>
    ${r.insufficient_data && html`<div class="i-callout" role="note">
      <p><b>Not enough data to answer fully.</b> ${r.insufficient_data.reason}</p>
      ${r.insufficient_data.needed?.length > 0 && html`<p>What would help:</p><ul>${r.insufficient_data.needed.map((n) => html`<li>${n}</li>`)}</ul>`}
    </div>`}
    <div class="i-summary panel">
      <p class="i-summary-text">${r.summary?.text}</p>
      ${r.summary?.unverified_numbers?.length > 0 && html`<p class="field-error i-small">Numbers not found in the findings: ${r.summary.unverified_numbers.join(", ")}.</p>`}
      <div class="i-summary-foot">
        <${Confidence} c=${r.confidence} />
        <span class="muted i-small">${r.summary?.written_by === "llm" ? "Summary written by the language model, checked against the findings." : "Summary written from the findings."}
          ${r.follow_up ? " A follow-up: the earlier question's scope is kept." : ""}</span>
      </div>
    </div>
    ${r.metrics?.length > 0 && section("Figures", html`<ul class="i-metrics">${r.metrics.map((m) => html`<${MetricCard} m=${m} cite=${cite} />`)}</ul>`)}
    ${r.risks?.length > 0 && section("Risks", html`<ul class="i-list">${r.risks.map((x) => html`<li class=${`i-risk ${x.severity}`}>
      <${Tag} status=${x.severity} label=${`${words(x.severity)} risk`} /> <b>${x.title}</b>
      ${x.detail && html`<p>${x.detail}</p>`}${cite(x.evidence)}</li>`)}</ul>`)}
    ${actions.length > 0 && section("What to do", html`<ol class="i-list i-actions-list">${actions.map((a) => html`<li>
      <b>${a.title}</b> <span class="i-levels"><${Tag} tone=${a.impact === "high" ? "good" : "info"} label=${`${words(a.impact)} impact`} /> <${Tag} tone="muted" label=${`${words(a.effort)} effort`} /></span>
      ${a.detail && html`<p>${a.detail}</p>`}${cite(a.evidence)}</li>`)}</ol>`)}
    ${r.insights?.length > 0 && section("Insights", html`<ul class="i-list">${r.insights.map((x) => html`<li>${x.text}
      ${x.confidence !== null && x.confidence !== undefined && html` <span class="muted i-small">(confidence ${Math.round(x.confidence * 100)} %)</span>`} ${cite(x.evidence)}</li>`)}</ul>`)}
    ${r.charts?.length > 0 && section("Charts", html`<div class="i-charts">${r.charts.map((c) => html`<${Chart} chart=${c} cite=${cite} />`)}</div>`)}
    ${r.uncertainty?.length > 0 && section("What the figures cannot say", html`<ul class="i-list">${r.uncertainty.map((u) => html`<li>${u}</li>`)}</ul>`)}
    ${r.data_quality?.length > 0 && section("Data quality", html`<ul class="i-list">${r.data_quality.map((q) => html`<li class="i-dq">
      <${Tag} tone="warn" label=${words(q.kind)} /> ${q.message} <span class="muted i-small">(${words(q.agent)}${q.records?.length ? `, ${q.records.length} records` : ""})</span></li>`)}</ul>`)}
    ${r.agents?.length > 0 && html`<details class="i-agents"><summary>How it was answered (${r.agents.length} ${r.agents.length === 1 ? "analysis" : "analyses"}, planned by the ${r.planned_by})</summary>
      <div class="table-wrap"><table><thead><tr><th>Analysis</th><th>Status</th><th class="num">Time</th><th class="num">Records</th><th>Cache</th></tr></thead>
      <tbody>${r.agents.map((a) => html`<tr><td>${words(a.agent)}</td><td><${Tag} status=${a.status} />${a.error ? html`<div class="muted i-small">${a.error}</div>` : ""}</td>
        <td class="num">${Math.round(a.duration_ms)} ms</td><td class="num">${a.records_read}</td><td>${words(a.cache)}</td></tr>`)}</tbody></table></div>
      ${r.notes?.length > 0 && html`<p class="muted i-small">${r.notes.join(" · ")}</p>`}</details>`}
    ${r.similar_questions?.length > 0 && section("Asked before", html`<ul class="i-list">${r.similar_questions.map((s) => html`<li>
      <${Link} to=${`/admin/intelligence/reports/${encodeURIComponent(s.report_id)}`}>${s.question}</${Link}> <span class="muted i-small">${when(s.asked_at)}</span></li>`)}</ul>`)}
    ${r.evidence?.length > 0 && section(`Evidence (${r.evidence.length})`, html`<${EvidenceList} entries=${r.evidence} lit=${lit?.n} prefix=${prefix} />`, "i-evidence-section")}
  </article>`;
}

// ---- the pages ----

const STATUSES = ["complete", "partial", "insufficient"];

export function ReportsPage() {
  const [status, setStatus] = useState("");
  const [cursors, setCursors] = useState([null]);
  const cursor = cursors[cursors.length - 1];
  const found = useLoad(() => api("GET", `/v1/intelligence/reports${query({ status, cursor, limit: 20 })}`), [status, cursor]);
  const items = found.data?.items || [];
  return html`<${Page} title="Reports" wide>
    <${Tabs} current="/admin/intelligence/reports" />
    <div class="inline-form i-toolbar">
      <div class="field"><label for="report-status">Show</label>
        <select id="report-status" value=${status} onChange=${(e) => { setStatus(e.currentTarget.value); setCursors([null]); }}>
          <option value="">Every report</option>${STATUSES.map((s) => html`<option value=${s}>${words(s)}</option>`)}
        </select></div>
      <${Link} to="/admin/intelligence/ask" class="button primary">Ask a question</${Link}>
    </div>
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.loading && !found.data && html`<${Loading} />`}
    ${found.data && items.length === 0 && html`<${Empty} title="No report yet">Ask a question: its answer is kept here.</${Empty}>`}
    ${items.length > 0 && html`<div class="table-wrap"><table class="i-reports i-stack"><thead><tr><th>Question</th><th>Mode</th><th>Status</th><th>Confidence</th><th>Asked</th></tr></thead>
      <tbody>${items.map((r) => html`<tr>
        <td data-label="Question"><${Link} to=${`/admin/intelligence/reports/${encodeURIComponent(r.id)}`}>${r.question}</${Link}>
          ${r.archived && html` <${Tag} tone="muted" label="Archived" />`}
          <div class="muted  i-small i-clamp">${r.summary}</div></td>
        <td data-label="Mode">${r.mode === "deep" ? "Deep" : "Quick"}</td><td data-label="Status"><${Tag} status=${r.status} /></td>
        <td class="nowrap" data-label="Confidence">${Math.round(r.confidence * 100)} %</td><td class="nowrap" data-label="Asked">${when(r.created_at)}</td>
      </tr>`)}</tbody></table></div>`}
    <div class="pager">
      ${cursors.length > 1 && html`<button type="button" class="button secondary" onClick=${() => setCursors(cursors.slice(0, -1))}>Newer</button>`}
      ${found.data?.next_cursor && html`<button type="button" class="button secondary" onClick=${() => setCursors([...cursors, found.data.next_cursor])}>Older</button>`}
    </div>
  </${Page}>`;
}

export function StoredReport({ params }) {
  const found = useLoad(() => api("GET", `/v1/intelligence/reports/${encodeURIComponent(params.id)}`), [params.id]);
  const r = found.data;
  return html`<${Page} title=${r ? r.question : "Report"} wide>
    <${Tabs} current="/admin/intelligence/reports" />
    <p><${Link} to="/admin/intelligence/reports">← All reports</${Link}></p>
    <${ProblemBox} problem=${found.problem} onRetry=${found.problem?.status === 410 ? undefined : found.reload} />
    ${found.loading && !r && html`<${Loading} />`}
    ${r && html`<${ReportView} report=${r} />`}
  </${Page}>`;
}
