// The analytics dashboard (/admin/analytics): the KPIs of today and of the period (live over
// the KPI socket), revenue over time, sales by category, product, merchant or channel, the
// conversion funnel, and the top products and categories; each block downloadable as CSV.
// A merchant sees the blocks read from its own lines (its sales, its top products and
// categories, its revenue and orders as tiles) and a note where a block covers whole orders.
import { html, useEffect, useRef, useState } from "preact-htm";
import { words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Empty, Loading, Page, ProblemBox } from "mercato/lib/ui.js";
import { BarChart, DataTable, FunnelChart, HBarChart } from "./charts.js";
import { LiveBadge, useKpiFeed } from "./live.js";
import {
  Block, Figures, RangePicker, Tabs, amount, asAmount, bucketLabel, count, isAdmin,
  longDay, pct, perBucket, periodParams, refused, remember, shortMoney, sum, useCalendar, useReport,
} from "./parts.js";

const PATH = "/admin/analytics";
const POLL_MS = 30_000;

const KPIS = [
  { key: "revenue", label: "Revenue", show: (f, c) => amount(f.revenue, c) },
  { key: "orders", label: "Orders", show: (f) => count(f.orders) },
  { key: "aov", label: "Average order value", show: (f, c) => amount(f.aov, c) },
  { key: "conversion_rate", label: "Conversion rate", show: (f) => pct(f.conversion_rate), hint: "orders per visit" },
  { key: "refund_rate", label: "Refund rate", show: (f) => pct(f.refund_rate), hint: "refunds per revenue" },
  { key: "abandoned_rate", label: "Abandoned-cart rate", show: (f) => pct(f.abandoned_rate), hint: "of carts with items" },
];

function Tile({ label, today, period, periodLabel, hint }) {
  return html`<div class="a-kpi" role="group" aria-label=${label}>
    <span class="a-kpi-label">${label}${hint && html` <span class="a-hint muted">(${hint})</span>`}</span>
    <dl class="a-kpi-values">
      <div class="a-kpi-today"><dt>Today</dt><dd>${today}</dd></div>
      ${periodLabel !== "Today" && html`<div class="a-kpi-period"><dt title=${periodLabel}>${periodLabel}</dt><dd>${period}</dd></div>`}
    </dl>
  </div>`;
}

/** Today's and the period's KPIs: live for the store's staff, a merchant's own sales else. */
function Kpis({ range, stamp, onChange }) {
  const params = { from: range.from, to: range.to };
  const load = useReport("kpis", params, stamp);
  const [pushed, setPushed] = useState(null);
  const seen = useRef(null);
  const rowOf = (report, scope) => report?.rows.find((r) => r.scope === scope);
  // each push: today's figures as they are now; when they moved since the page's (or the
  // last push's), the other blocks are read again
  const status = useKpiFeed(Boolean(load.data), (kpis) => {
    const now = JSON.stringify(rowOf(kpis, "today"));
    const before = seen.current ?? JSON.stringify(rowOf(load.data, "today"));
    setPushed(kpis);
    if (before !== now) onChange();
    seen.current = now;
  });
  if (refused(load.problem)) return html`<${MerchantKpis} range=${range} stamp=${stamp} />`;
  const data = load.data;
  const live = pushed && data && pushed.currency === data.currency ? pushed : null; // the same money
  const period = rowOf(live, "period")?.from === range.from && rowOf(live, "period")?.to === range.to
    ? rowOf(live, "period") : rowOf(data, "period");
  const today = rowOf(live, "today") || rowOf(data, "today");
  return html`<${Block} title="Key figures" id="a-kpis" report="kpis" params=${params} load=${load} className="wide a-kpis-block"
    tools=${html`<${LiveBadge} status=${status} />`}
    render=${() => html`<div class="a-kpis">
      ${KPIS.map((k) => html`<${Tile} label=${k.label} hint=${k.hint} periodLabel=${range.label}
        today=${today ? k.show(today, data.currency) : "—"} period=${period ? k.show(period, data.currency) : "—"} />`)}
    </div>`} />`;
}

/** A merchant's tiles: the revenue, orders and average order of its own lines, polled. */
function MerchantKpis({ range, stamp }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState !== "hidden" && setTick((t) => t + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const params = { from: range.from, to: range.to };
  const period = useReport("sales", params, stamp + tick);
  const today = useReport("sales", { from: range.today, to: range.today }, stamp + tick);
  const both = { ...period, data: period.data && today.data ? { period: period.data, today: today.data } : null, problem: period.problem || today.problem };
  const tile = (label, show) => html`<${Tile} label=${label} periodLabel=${range.label}
    today=${show(both.data.today.totals, both.data.today.currency)} period=${show(both.data.period.totals, both.data.period.currency)} />`;
  return html`<${Block} title="Key figures of your lines" id="a-kpis" report="sales" params=${params} load=${both} className="wide a-kpis-block"
    tools=${html`<${LiveBadge} status="polling" />`}
    render=${() => html`<div class="a-kpis">
      ${tile("Revenue", (f, c) => amount(f.revenue, c))}
      ${tile("Orders", (f) => count(f.orders))}
      ${tile("Average order value", (f, c) => amount(f.aov, c))}
    </div>
    <p class="a-note">Conversion, refund and abandoned-cart rates cover whole orders, which mix every
      merchant's sales: the store's admins see them.</p>`} />`;
}

function RevenueBlock({ range, stamp }) {
  const params = periodParams(range);
  const load = useReport("sales", params, stamp);
  return html`<${Block} title="Revenue over time" id="a-revenue" report="sales" params=${params} load=${load} className="wide"
    render=${(r) => html`<${Revenue} report=${r} />`} />`;
}

function Revenue({ report: r }) {
  const c = r.currency;
  const t = r.totals;
  if (t.orders === 0 && Number(t.refunds || 0) === 0) {
    return html`<${Empty} title="No sales in this period.">Orders confirmed in the shop show here, ${perBucket(r.granularity)}.</${Empty}>`;
  }
  const top = r.rows.reduce((best, row) => (Number(row.revenue) > Number(best.revenue) ? row : best), r.rows[0]);
  const summary = `Revenue ${perBucket(r.granularity)} from ${longDay(r.from)} to ${longDay(r.to)}: ${amount(t.revenue, c)} from ${count(t.orders)} orders in all; highest ${amount(top.revenue, c)} (${bucketLabel(top.bucket, r.granularity)}).`;
  const lines = r.merchant_id !== null;
  return html`
    <${Figures} label="The period's sales" items=${[
      ["Revenue", amount(t.revenue, c)],
      ["Orders", count(t.orders)],
      ["Units", count(t.units)],
      ["Average order", amount(t.aov, c)],
      ...(lines ? [] : [["Refunds", amount(t.refunds, c)], ["Net revenue", amount(t.net_revenue, c)]]),
    ]} />
    <${BarChart} summary=${summary} series=${[{ name: "Revenue", cls: "s-revenue" }]}
      axis=${{ format: (v) => shortMoney(v, c) }}
      rows=${r.rows.map((row) => ({
        label: bucketLabel(row.bucket, r.granularity),
        title: `${bucketLabel(row.bucket, r.granularity)}: ${amount(row.revenue, c)}, ${count(row.orders)} order${row.orders === 1 ? "" : "s"}`,
        values: [Number(row.revenue)],
      }))} />
    ${r.currencies.length > 1 && html`<p class="muted a-small-text">Amounts in ${c}; the period also has orders in ${r.currencies.filter((x) => x !== c).join(", ")}.</p>`}
    <${DataTable} caption=${summary} columns=${[
      { label: "Bucket" }, { label: "Orders", num: true }, { label: "Units", num: true },
      { label: "Revenue", num: true }, { label: "Average order", num: true },
      ...(lines ? [] : [{ label: "Refunds", num: true }]),
    ]} rows=${r.rows.map((row) => [
      bucketLabel(row.bucket, r.granularity), count(row.orders), count(row.units), amount(row.revenue, c), amount(row.aov, c),
      ...(lines ? [] : [amount(row.refunds, c)]),
    ])} />`;
}

const GROUPS = [["category", "Category"], ["product", "Product"], ["merchant", "Merchant"], ["channel", "Channel"]];
const NO_GROUP = { category: "No category", product: "Unknown product", merchant: "The store", channel: "Unknown channel" };
const SHOWN = 10;

function GroupBlock({ range, query, stamp }) {
  const [group, setGroup] = useState(() => (GROUPS.some(([g]) => g === query.get("group")) ? query.get("group") : "category"));
  const params = { ...periodParams(range), group_by: group };
  const load = useReport("sales", params, stamp);
  const choose = (value) => {
    setGroup(value);
    remember(PATH, { group: value === "category" ? "" : value });
  };
  const select = html`<label class="a-inline-field"><span>By</span>
    <select value=${group} onChange=${(e) => choose(e.currentTarget.value)} aria-label="Group sales by">
      ${GROUPS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
    </select></label>`;
  return html`<${Block} title="Sales by group" id="a-groups" report="sales" params=${params} load=${load} tools=${select}
    render=${(r) => html`<${Groups} report=${r} group=${group} />`} />`;
}

function Groups({ report: r, group }) {
  const c = r.currency;
  const byKey = new Map();
  for (const row of r.rows) {
    const key = row.group ?? "";
    const found = byKey.get(key) || { label: row.label || row.group || NO_GROUP[group], revenue: [], orders: 0, units: 0 };
    found.revenue.push(row.revenue);
    found.orders += row.orders;
    found.units += row.units;
    byKey.set(key, found);
  }
  let items = [...byKey.values()].map((g) => ({ ...g, label: group === "channel" ? words(g.label) : g.label, value: sum(g.revenue) }));
  items.sort((a, b) => b.value - a.value);
  if (items.length === 0) return html`<${Empty} title="No sales in this period." />`;
  const all = items.map((g) => ({ ...g, display: amount(asAmount(g.value), c) }));
  const shown = all.slice(0, SHOWN);
  const rest = all.slice(SHOWN);
  const restSum = amount(asAmount(sum(rest.map((g) => g.value))), c);
  const summary = `Revenue by ${group}, ${longDay(r.from)} to ${longDay(r.to)}: ${shown.slice(0, 3).map((g) => `${g.label} ${g.display}`).join(", ")}${all.length > 3 ? `, and ${all.length - 3} more` : ""}.`;
  const whole = group === "channel" && r.merchant_id === null;
  return html`<${HBarChart} items=${shown} summary=${summary} />
    ${rest.length > 0 && html`<p class="muted a-small-text">The ${count(rest.length)} other${rest.length === 1 ? "" : "s"}: ${restSum} (in the table).</p>`}
    <p class="muted a-small-text">${whole ? "What the orders charged, shipping and tax included." : "What the lines sold: no shipping, tax or order discount."}</p>
    <${DataTable} caption=${summary} columns=${[{ label: words(group) }, { label: "Orders", num: true }, { label: "Units", num: true }, { label: "Revenue", num: true }]}
      rows=${all.map((g) => [g.label, count(g.orders), count(g.units), g.display])} />`;
}

function FunnelBlock({ range, stamp }) {
  const params = periodParams(range);
  const load = useReport("funnel", params, stamp);
  return html`<${Block} title="Conversion funnel" id="a-funnel" report="funnel" params=${params} load=${load} what="The funnel"
    render=${(r) => html`<${Funnel} report=${r} />`} />`;
}

function Funnel({ report: r }) {
  const t = r.totals;
  if (!t.sessions && !t.carts && !t.checkouts && !t.orders) {
    return html`<${Empty} title="No visits in this period.">Visits, carts, checkouts and orders show here as they happen.</${Empty}>`;
  }
  const steps = [
    { label: "Visits", value: t.sessions },
    { label: "Carts", value: t.carts, rate: pct(t.cart_rate) },
    { label: "Checkouts", value: t.checkouts, rate: pct(t.checkout_rate) },
    { label: "Orders", value: t.orders, rate: pct(t.order_rate) },
  ].map((s) => ({ ...s, display: count(s.value) }));
  const summary = `Conversion funnel, ${longDay(r.from)} to ${longDay(r.to)}: ${steps.map((s) => `${s.display} ${s.label.toLowerCase()}`).join(", then ")}; ${pct(t.conversion_rate)} of visits became orders.`;
  return html`<${Figures} label="Conversion" items=${[["Visits to orders", pct(t.conversion_rate)]]} />
    <${FunnelChart} steps=${steps} summary=${summary} />
    <${DataTable} caption=${summary} columns=${[{ label: "Step" }, { label: "Count", num: true }, { label: "Of the step before", num: true }]}
      rows=${steps.map((s) => [s.label, s.display, s.rate ?? "—"])} />`;
}

function TopBlock({ range, stamp, of }) {
  const report = of === "products" ? "top-products" : "top-categories";
  const params = { from: range.from, to: range.to, limit: 10 };
  const load = useReport(report, params, stamp);
  const title = of === "products" ? "Top products" : "Top categories";
  return html`<${Block} title=${title} id=${`a-top-${of}`} report=${report} params=${params} load=${load}
    render=${(r) => html`<${Top} report=${r} of=${of} title=${title} />`} />`;
}

function Top({ report: r, of, title }) {
  if (r.rows.length === 0) return html`<${Empty} title="Nothing sold in this period." />`;
  const c = r.currency;
  const unnamed = of === "products" ? "Unnamed product" : "No category";
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${`${title}, as a table`}><table class="a-top">
    <caption class="visually-hidden">${title} by revenue, ${longDay(r.from)} to ${longDay(r.to)}</caption>
    <thead><tr><th scope="col" class="num">#</th><th scope="col">${of === "products" ? "Product" : "Category"}</th>
      <th scope="col" class="num">Units</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Share</th></tr></thead>
    <tbody>${r.rows.map((row) => html`<tr>
      <td class="num muted">${row.rank}</td>
      <td class="a-name">${row.name || unnamed}</td>
      <td class="num">${count(row.units)}</td>
      <td class="num">${amount(row.revenue, c)}</td>
      <td class="num a-share"><span class="a-share-bar" aria-hidden="true"><span style=${`width:${Math.round((row.revenue_share || 0) * 100)}%`}></span></span>${pct(row.revenue_share, row.revenue_share !== null && row.revenue_share < 0.1 ? 1 : 0)}</td>
    </tr>`)}</tbody>
  </table></div>
  <p class="muted a-small-text">What the lines sold: no shipping, tax or order discount.</p>`;
}

export function Dashboard({ query }) {
  const calendar = useCalendar(query);
  const [stamp, setStamp] = useState(0);
  const range = calendar.range;
  const changed = () => range?.includesToday && setStamp((s) => s + 1);
  const refresh = html`<button type="button" class="button secondary" onClick=${() => setStamp((s) => s + 1)}>Refresh</button>`;
  if (!range) {
    return html`<${Page} title="Analytics" wide>
      <${Tabs} current=${PATH} query=${query} />
      ${calendar.loading && html`<${Loading} />`}
      <${ProblemBox} problem=${calendar.problem} onRetry=${calendar.reload} />
    </${Page}>`;
  }
  return html`<${Page} title="Analytics" wide actions=${refresh}>
    <${Tabs} current=${PATH} query=${query} />
    <${RangePicker} range=${range} path=${PATH} query=${query} />
    <div class="a-grid">
      <${Kpis} range=${range} stamp=${stamp} onChange=${changed} />
      <${RevenueBlock} range=${range} stamp=${stamp} />
      <${GroupBlock} range=${range} query=${query} stamp=${stamp} />
      <${FunnelBlock} range=${range} stamp=${stamp} />
      <${TopBlock} range=${range} stamp=${stamp} of="products" />
      <${TopBlock} range=${range} stamp=${stamp} of="categories" />
    </div>
    <p class="muted a-foot">Days are counted in the store's time zone, ${calendar.zone}${isAdmin()
      ? html` (<${Link} to="/admin/analytics/settings">change it</${Link}>)` : ""}. Amounts in the period's main currency.</p>
  </${Page}>`;
}

