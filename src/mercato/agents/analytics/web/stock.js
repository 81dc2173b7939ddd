// Inventory (/admin/analytics/inventory): per variant, units sold in the period, on hand,
// turnover and days of cover, in a table sorted by any column (low cover first by default,
// and marked); a merchant sees the variants its lines sold. Carts (/admin/analytics/carts):
// carts with items per bucket and what became of them (checked out, recovered after they
// were abandoned, abandoned, still open), the abandoned-cart rate and recovered revenue.
import { html, useState } from "preact-htm";
import { Empty, Loading, Page, ProblemBox } from "mercato/lib/ui.js";
import { BarChart, DataTable, Legend } from "./charts.js";
import {
  Block, Figures, RangePicker, Tabs, amount, bucketLabel, count, longDay, pct, perBucket,
  periodParams, shortCount, useCalendar, useReport,
} from "./parts.js";

const LIMIT = 200;
const FIRST = 25; // rows shown before "Show all"
const THRESHOLDS = [7, 14, 30];
/** A figure with `digits` decimals, small ones with enough to be told from 0 (a turnover of 0.004). */
const decimal = (digits) => (v) => {
  if (v === null || v === undefined) return "—";
  const small = v !== 0 && Math.abs(v) < 10 ** -digits;
  return new Intl.NumberFormat(undefined, small ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: digits }).format(v);
};

const COLUMNS = [
  { key: "sku", label: "SKU" },
  { key: "name", label: "Product" },
  { key: "days_of_cover", label: "Days of cover", num: true, show: decimal(1) },
  { key: "on_hand", label: "On hand", num: true, show: count },
  { key: "daily_units", label: "Sold a day", num: true, show: decimal(2) },
  { key: "units_sold", label: "Units sold", num: true, show: count },
  { key: "turnover", label: "Turnover", num: true, show: decimal(2) },
  { key: "average_on_hand", label: "Average on hand", num: true, show: decimal(1) },
];

function compare(key, dir) {
  const sign = dir === "asc" ? 1 : -1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return String(a.sku).localeCompare(String(b.sku));
    if (x === null || x === undefined || x === "") return 1; // nothing to say: last either way
    if (y === null || y === undefined || y === "") return -1;
    return (typeof x === "number" ? x - y : String(x).localeCompare(String(y))) * sign;
  };
}

function InventoryBlock({ range }) {
  const params = { from: range.from, to: range.to, limit: LIMIT };
  const load = useReport("inventory", params);
  const [low, setLow] = useState(14);
  const select = html`<label class="a-inline-field"><span>Low under</span>
    <select value=${String(low)} onChange=${(e) => setLow(Number(e.currentTarget.value))} aria-label="Low cover under">
      ${THRESHOLDS.map((n) => html`<option value=${String(n)}>${n} days</option>`)}
    </select></label>`;
  return html`<${Block} title="Turnover and days of cover" id="a-inventory" report="inventory" params=${params} load=${load}
    tools=${select} render=${(r) => html`<${Inventory} report=${r} low=${low} />`} />`;
}

function Inventory({ report: r, low }) {
  const [sort, setSort] = useState({ key: "days_of_cover", dir: "asc" });
  const [all, setAll] = useState(false);
  const t = r.totals;
  if (r.rows.length === 0) return html`<${Empty} title="No stock moved and nothing sold in this period." />`;
  const sorted = [...r.rows].sort(compare(sort.key, sort.dir));
  const rows = all ? sorted : sorted.slice(0, FIRST);
  const isLow = (row) => row.days_of_cover !== null && row.days_of_cover < low;
  const lows = r.rows.filter(isLow).length;
  const by = (key) => setSort(sort.key === key ? { key, dir: sort.dir === "asc" ? "desc" : "asc" } : { key, dir: COLUMNS.find((c) => c.key === key).num && key !== "days_of_cover" ? "desc" : "asc" });
  return html`<${Figures} label="The period's stock" items=${[
      ["Variants", count(t.variants)],
      ["Units sold", count(t.units_sold)],
      ["On hand", count(t.on_hand)],
      ["Turnover", decimal(2)(t.turnover), "units sold / average on hand"],
      ["Low cover", count(lows), `under ${low} days`],
    ]} />
    <div class="table-wrap"><table class="a-stock">
      <caption class="visually-hidden">Variants by ${COLUMNS.find((c) => c.key === sort.key).label.toLowerCase()}, ${sort.dir === "asc" ? "lowest" : "highest"} first; low cover marked</caption>
      <thead><tr>${COLUMNS.map((c) => html`<th scope="col" class=${c.num ? "num" : ""}
          aria-sort=${sort.key === c.key ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}>
        <button type="button" class="a-sort" onClick=${() => by(c.key)}>${c.label}<span class="a-sort-mark" aria-hidden="true">${sort.key === c.key ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span></button>
      </th>`)}</tr></thead>
      <tbody>${rows.map((row) => html`<tr class=${isLow(row) ? (row.days_of_cover < low / 2 ? "a-low bad" : "a-low") : ""}>
        ${COLUMNS.map((c) => c.key === "days_of_cover"
          ? html`<td class="num">${isLow(row) && html`<span class=${`badge ${row.days_of_cover < low / 2 ? "bad" : "warn"}`}>Low</span> `}${c.show(row[c.key])}</td>`
          : html`<td class=${c.num ? "num" : c.key === "sku" ? "a-sku" : ""}>${c.show ? c.show(row[c.key]) : row[c.key] || html`<span class="muted">—</span>`}</td>`)}
      </tr>`)}</tbody>
    </table></div>
    ${sorted.length > rows.length && html`<div class="pager"><button type="button" class="button secondary" onClick=${() => setAll(true)}>
      Show all ${count(sorted.length)} variants</button></div>`}
    <p class="muted a-small-text">${[
      "Days of cover: on hand now / units sold a day over the last 30 days (none when nothing sold).",
      t.variants > r.rows.length ? `The ${r.rows.length} variants that sold the most of ${count(t.variants)}.` : "",
      `Period ${longDay(r.from)} – ${longDay(r.to)}.`,
    ].filter(Boolean).join(" ")}</p>`;
}

export function InventoryPage({ query }) {
  return html`<${Framed} title="Inventory" path="/admin/analytics/inventory" query=${query}
    body=${(range) => html`<${InventoryBlock} range=${range} />`} />`;
}

const CART_SERIES = [
  { name: "Checked out", cls: "s-good" },
  { name: "Recovered", cls: "s-revenue" },
  { name: "Abandoned", cls: "s-bad" },
  { name: "Still open", cls: "s-muted" },
];

function CartsBlock({ range }) {
  const params = periodParams(range);
  const load = useReport("carts", params);
  return html`<${Block} title="Abandoned carts" id="a-carts" report="carts" params=${params} load=${load}
    what="The carts report" render=${(r) => html`<${Carts} report=${r} />`} />`;
}

function parts(row) {
  const direct = row.checked_out - row.recovered;
  const lost = row.abandoned - row.recovered;
  return [direct, row.recovered, lost, Math.max(0, row.carts - direct - row.recovered - lost)];
}

function Carts({ report: r }) {
  const t = r.totals;
  const c = r.currency;
  if (t.carts === 0) return html`<${Empty} title="No cart had items in this period." />`;
  const summary = `Carts with items ${perBucket(r.granularity)} from ${longDay(r.from)} to ${longDay(r.to)}: ${count(t.carts)} in all, ${count(t.abandoned)} abandoned (${pct(t.abandoned_rate)}), ${count(t.recovered)} of them recovered for ${amount(t.recovered_revenue, c)}.`;
  return html`<${Figures} label="The period's carts" items=${[
      ["Carts with items", count(t.carts)],
      ["Checked out", count(t.checked_out)],
      ["Abandoned-cart rate", pct(t.abandoned_rate), `${count(t.abandoned)} abandoned`],
      ["Recovered", count(t.recovered), `${pct(t.recovery_rate)} of the abandoned`],
      ["Recovered revenue", amount(t.recovered_revenue, c)],
    ]} />
    <${BarChart} summary=${summary} series=${CART_SERIES} axis=${{ format: shortCount, integer: true }}
      rows=${r.rows.map((row) => ({
        label: bucketLabel(row.bucket, r.granularity),
        title: `${bucketLabel(row.bucket, r.granularity)}: ${count(row.carts)} carts, ${count(row.abandoned)} abandoned (${pct(row.abandoned_rate)}), ${count(row.recovered)} recovered`,
        values: parts(row),
      }))} />
    <${Legend} series=${CART_SERIES} />
    <${DataTable} caption=${summary} columns=${[
      { label: "Bucket" }, { label: "Carts", num: true }, { label: "Checked out", num: true },
      { label: "Abandoned", num: true }, { label: "Abandoned rate", num: true }, { label: "Recovered", num: true },
      { label: "Recovered revenue", num: true },
    ]} rows=${r.rows.map((row) => [
      bucketLabel(row.bucket, r.granularity), count(row.carts), count(row.checked_out), count(row.abandoned),
      pct(row.abandoned_rate), count(row.recovered), amount(row.recovered_revenue, c),
    ])} />`;
}

export function CartsPage({ query }) {
  return html`<${Framed} title="Carts" path="/admin/analytics/carts" query=${query}
    body=${(range) => html`<${CartsBlock} range=${range} />`} />`;
}

/** A page of one report: its tabs, the period picker, the block. */
function Framed({ title, path, query, body }) {
  const calendar = useCalendar(query);
  const range = calendar.range;
  return html`<${Page} title=${title} wide>
    <${Tabs} current=${path} query=${query} />
    ${!range && calendar.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${calendar.problem} onRetry=${calendar.reload} />
    ${range && html`<${RangePicker} range=${range} path=${path} query=${query} />${body(range)}`}
  </${Page}>`;
}
