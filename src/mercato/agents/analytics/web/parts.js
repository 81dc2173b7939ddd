// What the analytics pages share: the store's calendar (its time zone, "today" there, the
// period presets), the period picker, a report block (its heading, its CSV download, the
// note a merchant gets for a report of whole orders, its empty state), the pages' tabs, the
// figures in words, and the pages' stylesheet (added when the first of them is shown).
import { html, useEffect, useState } from "preact-htm";
import { Problem, api, query as toQuery } from "mercato/lib/api.js";
import { credentials, forget, refreshed, roles } from "mercato/lib/credentials.js";
import { money } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Loading, ProblemBox, useLoad } from "mercato/lib/ui.js";

stylesheet();

/** The pages' own rules (the shell's stylesheet has the rest): added once. */
export function stylesheet() {
  if (document.getElementById("analytics-css")) return;
  const link = document.createElement("link");
  link.id = "analytics-css";
  link.rel = "stylesheet";
  link.href = new URL("./analytics.css", import.meta.url).href;
  document.head.append(link);
}

export const isAdmin = () => roles().includes("admin");

// -- figures in words --------------------------------------------------------------------

const counts = new Intl.NumberFormat();
export const count = (n) => (n === null || n === undefined ? "—" : counts.format(n));

/** A rate (a share between 0 and 1; null when it has no base) as a percentage. */
export function pct(rate, digits = 1) {
  if (rate === null || rate === undefined) return "—";
  return new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(rate);
}

/** An amount of the API (a decimal string), "—" when there is none (an AOV of no order). */
export const amount = (value, currency) => (value === null || value === undefined ? "—" : money(value, currency));

/** A chart's axis: $1.2K rather than $1,234.56. */
export function shortMoney(value, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(value);
  } catch {
    return String(value);
  }
}

export const shortCount = (value) => new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 }).format(value);

/** Amounts added in the browser (a group's buckets), back to a string for `money`. */
export const sum = (values) => values.reduce((total, v) => total + Number(v || 0), 0);
export const asAmount = (n) => String(Math.round(n * 1000) / 1000);

const utc = (iso) => new Date(`${iso}T00:00:00Z`);
const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
const fullDay = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

/** A store-local day (`2026-12-05`) in words: "5 Dec 2026". */
export const longDay = (iso) => fullDay.format(utc(iso));
export const monthOf = (iso) => monthFormat.format(utc(iso));
/** Two days in few words: "1 Mar – 30 Jun" (the years when they are not this one's). */
export function shortRange(from, to) {
  const thisYear = String(new Date().getFullYear());
  const one = (iso) => (iso.slice(0, 4) === thisYear && from.slice(0, 4) === to.slice(0, 4) ? dayFormat : fullDay).format(utc(iso));
  return from === to ? one(from) : `${one(from)} – ${one(to)}`;
}

/** A report's bucket (its first day) in words, short: "5 Dec", "wk 1 Dec", "Dec 2026". */
export function bucketLabel(iso, granularity) {
  if (granularity === "month") return monthOf(iso);
  if (granularity === "week") return `wk ${dayFormat.format(utc(iso))}`;
  return dayFormat.format(utc(iso));
}

export const GRANULARITIES = [["day", "Day"], ["week", "Week"], ["month", "Month"]];
export const perBucket = (granularity) => ({ day: "per day", week: "per week", month: "per month" })[granularity] || "";

// -- the store's calendar ----------------------------------------------------------------

let zone = null; // the store's time zone, once asked (a promise)

/** The store's time zone (its days are the reports'): the settings for an admin, or the
 * frame of a small report for whoever may not read the settings (a merchant). */
export function storeZone() {
  zone ??= api("GET", "/v1/analytics/settings")
    .catch((problem) => {
      if (problem.status !== 403) throw problem;
      return api("GET", "/v1/analytics/top-products?limit=1");
    })
    .then((answer) => answer.time_zone)
    .catch((problem) => {
      zone = null;
      throw problem;
    });
  return zone;
}

/** The time zone was changed (the settings): every page counts in the new one. */
export function zoneChanged(name) {
  zone = Promise.resolve(name);
}

/** Today in the store's time zone, as the API writes days. */
export function todayIn(timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(iso, days) {
  const d = utc(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const PRESETS = [
  ["today", "Today"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["month", "This month"],
  ["custom", "Custom"],
];
const ISO = /^\d{4}-\d{2}-\d{2}$/;
/** The address's words that choose the period (kept when moving between the pages). */
export const RANGE_KEYS = ["range", "from", "to", "granularity"];

/** The period the address asks for, in the store's days: {preset, from, to, granularity, label}. */
export function rangeOf(query, today) {
  let preset = query.get("range") || "30d";
  if (!PRESETS.some(([p]) => p === preset)) preset = "30d";
  const granularity = GRANULARITIES.some(([g]) => g === query.get("granularity")) ? query.get("granularity") : "day";
  let from;
  let to = today;
  if (preset === "today") from = today;
  else if (preset === "7d") from = addDays(today, -6);
  else if (preset === "month") from = `${today.slice(0, 8)}01`;
  else if (preset === "custom" && ISO.test(query.get("from") || "") && ISO.test(query.get("to") || "")) {
    from = query.get("from");
    to = query.get("to");
  } else {
    if (preset === "custom") preset = "30d";
    from = addDays(today, -29);
  }
  const label = preset === "custom" ? shortRange(from, to) : PRESETS.find(([p]) => p === preset)[1];
  return { preset, from, to, granularity, label, today, includesToday: from <= today && today <= to };
}

/** The period's words of the address (for links between the pages). */
export function rangeQuery(query) {
  return Object.fromEntries(RANGE_KEYS.map((k) => [k, query.get(k) || ""]));
}

/** The store's time zone and the period asked for: {zone, range, loading, problem, reload}. */
export function useCalendar(query) {
  const found = useLoad(storeZone, []);
  const range = found.data ? rangeOf(query, todayIn(found.data)) : null;
  return { zone: found.data, range, loading: found.loading, problem: found.problem, reload: found.reload };
}

/** `path` with the address's query as it is now, changed by `changes` ("" drops a word). */
export function withQuery(path, changes) {
  const now = Object.fromEntries(new URLSearchParams(location.search).entries());
  return `${path}${toQuery({ ...now, ...changes })}`;
}

/** A block's own choice (its grouping) kept in the address for a link or a reload, without
 * moving the page (a navigation would scroll back to the top). */
export function remember(path, changes) {
  history.replaceState(history.state, "", withQuery(path, changes));
}

/** The report's question as the API takes it. */
export const periodParams = (range) => ({ from: range.from, to: range.to, granularity: range.granularity });

/** Choose the period and its buckets: presets, or two days of one's own. */
export function RangePicker({ range, path, query }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [error, setError] = useState("");
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const go = (changes) => navigate(withQuery(path, changes));
  const choose = (preset) => {
    setError("");
    if (preset === "custom") go({ range: "custom", from: range.from, to: range.to });
    else go({ range: preset === "30d" ? "" : preset, from: "", to: "" });
  };
  const apply = (event) => {
    event.preventDefault();
    if (!ISO.test(from) || !ISO.test(to)) return setError("Choose both days.");
    if (from > to) return setError("The first day is after the last.");
    setError("");
    go({ range: "custom", from, to });
  };
  return html`<form class="a-range panel" aria-label="Reporting window" onSubmit=${apply}>
    <div class="field">
      <label for="a-preset">Period</label>
      <select id="a-preset" value=${range.preset} onChange=${(e) => choose(e.currentTarget.value)}>
        ${PRESETS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>
    </div>
    ${range.preset === "custom" && html`
      <div class="field">
        <label for="a-from">From</label>
        <input id="a-from" type="date" value=${from} max=${range.today} required
          aria-invalid=${error ? "true" : undefined} aria-describedby=${error ? "a-range-error" : undefined}
          onInput=${(e) => setFrom(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="a-to">To</label>
        <input id="a-to" type="date" value=${to} required
          aria-invalid=${error ? "true" : undefined} aria-describedby=${error ? "a-range-error" : undefined}
          onInput=${(e) => setTo(e.currentTarget.value)} />
      </div>
      <button class="button secondary" type="submit">Apply</button>`}
    <div class="field">
      <label for="a-granularity">Buckets</label>
      <select id="a-granularity" value=${range.granularity} onChange=${(e) => go({ granularity: e.currentTarget.value === "day" ? "" : e.currentTarget.value })}>
        ${GRANULARITIES.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>
    </div>
    <p class="a-range-said muted">${longDay(range.from)}${range.from !== range.to ? ` – ${longDay(range.to)}` : ""}</p>
    ${error && html`<p class="field-error a-range-error" id="a-range-error" role="alert">${error}</p>`}
  </form>`;
}

// -- the pages' tabs -----------------------------------------------------------------------

const TABS = [
  { to: "/admin/analytics", label: "Overview" },
  { to: "/admin/analytics/customers", label: "Customers" },
  { to: "/admin/analytics/inventory", label: "Inventory" },
  { to: "/admin/analytics/carts", label: "Carts" },
  { to: "/admin/analytics/settings", label: "Settings", admin: true },
];

/** The analytics pages, one link each (the period kept), the current one marked. */
export function Tabs({ current, query }) {
  const keep = query ? toQuery(rangeQuery(query)) : "";
  return html`<nav class="a-tabs" aria-label="Analytics pages">
    ${TABS.filter((t) => !t.admin || isAdmin()).map(
      (t) => html`<${Link} to=${`${t.to}${t.admin ? "" : keep}`} aria-current=${t.to === current ? "page" : undefined}>${t.label}</${Link}>`,
    )}
  </nav>`;
}

// -- reports and their blocks --------------------------------------------------------------

export const reportPath = (name, params) => `/v1/analytics/${encodeURIComponent(name)}${toQuery(params)}`;

/** A report, loaded now and whenever its question (or `stamp`) changes; a reload keeps the
 * figures shown until the new ones come. */
export function useReport(name, params, stamp = 0) {
  const key = reportPath(name, params);
  return useLoad(() => api("GET", key), [key, stamp]);
}

/** Whether the API refused the report to this caller because it covers whole orders (a
 * merchant sees its own lines only). */
export const refused = (problem) => problem?.status === 403;

export function RefusedNote({ what = "This report" }) {
  return html`<p class="a-note">${what} covers whole orders, which mix every merchant's sales: the
    store's admins see it. Your own lines are in the sales, the top products and the inventory.</p>`;
}

/** A report's panel: its heading, tools (its CSV download), and its figures once loaded;
 * a note instead when the API refuses it to this caller, the problem in words otherwise.
 * `render(data)` draws the figures; `tools` go beside the heading. */
export function Block({ title, id, report, params, load, render, tools, className = "", csv = true, what }) {
  const no = refused(load.problem);
  return html`<section class=${`panel a-block ${className}`} aria-labelledby=${id} aria-busy=${load.loading ? "true" : "false"}>
    <header class="a-block-head">
      <h2 id=${id}>${title}</h2>
      <div class="a-block-tools">
        ${!no && tools}
        ${csv && !no && html`<${CsvButton} report=${report} params=${params} title=${title} />`}
      </div>
    </header>
    ${load.loading && !load.data && !load.problem && html`<${Loading} />`}
    ${no ? html`<${RefusedNote} what=${what} />` : html`<${ProblemBox} problem=${load.problem} onRetry=${load.reload} />`}
    ${load.data && render(load.data)}
  </section>`;
}

/** "Download CSV": the report as CSV, fetched with the caller's credentials (a link cannot
 * carry the bearer token) and handed to the browser as a file. */
export function CsvButton({ report, params, title }) {
  const [state, setState] = useState({ busy: false, problem: null });
  const run = async () => {
    if (state.busy) return;
    setState({ busy: true, problem: null });
    try {
      await downloadCsv(report, params);
      setState({ busy: false, problem: null });
    } catch (problem) {
      setState({ busy: false, problem });
    }
  };
  return html`<span class="a-csv">
    <button type="button" class="button secondary a-small" onClick=${run} disabled=${state.busy}
      aria-busy=${state.busy ? "true" : "false"} aria-label=${`Download ${title} as CSV`}>
      ${state.busy ? "Preparing…" : "Download CSV"}
    </button>
    ${state.problem && html`<span class="field-error" role="alert">${state.problem.title}: ${state.problem.detail || state.problem.message}</span>`}
  </span>`;
}

/** Fetch the report as CSV and save it under the server's file name. */
export async function downloadCsv(report, params) {
  const response = await fetchCsv(reportPath(report, { ...params, format: "csv" }));
  const blob = await response.blob();
  const named = /filename="?([^";]+)"?/i.exec(response.headers.get("content-disposition") || "");
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = named ? named[1] : `${report}.csv`;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

async function fetchCsv(path, retry = true) {
  const sent = { accept: "text/csv", ...credentials() };
  let response;
  try {
    response = await fetch(path, { headers: sent });
  } catch {
    throw new Problem(0, { code: "network_error", title: "The server cannot be reached", detail: "Check your connection, then try again." });
  }
  if (response.status === 401 && retry && sent.authorization && (await refreshed(sent.authorization))) {
    return fetchCsv(path, false);
  }
  if (response.status === 401 && sent.authorization) forget();
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not problem+json: the status says it
    }
    throw new Problem(response.status, body);
  }
  return response;
}

/** Small figures side by side (a report's totals). */
export function Figures({ items }) {
  return html`<dl class="a-figures">
    ${items.map(([name, value, hint]) => html`<div class="a-figure">
      <dt>${name}</dt><dd><b>${value}</b>${hint && html`<span class="muted a-hint">${hint}</span>`}</dd>
    </div>`)}
  </dl>`;
}
