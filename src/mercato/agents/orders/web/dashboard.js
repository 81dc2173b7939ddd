// The admin's first page: today's orders, revenue and conversion, what waits for staff (to
// ship, to review), two weeks of sales as a chart, and stock running low: read from the
// orders, carts and inventory the platform already records (the newest 200 orders; analytics
// will keep its own read model).
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const DAYS = 14;

/** The day of a moment where the admin is (not UTC's): "today" is the admin's today. */
function dayKey(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Midnight where the admin is, as the API's time (with its offset). */
function startOfToday() {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return midnight.toISOString();
}

async function figures() {
  const [orders, low, carts] = await Promise.all([
    api("GET", "/v1/orders?limit=200"),
    api("GET", "/v1/inventory/levels?low=true&limit=10").catch(() => null), // merchants may not read stock
    api("GET", `/v1/cart-summary?since=${encodeURIComponent(startOfToday())}`).catch(() => null), // nor carts
  ]);
  const today = dayKey(new Date());
  const days = new Map();
  for (let i = DAYS - 1; i >= 0; i--) days.set(dayKey(new Date(Date.now() - i * 86_400_000)), { orders: 0, revenue: 0 });
  let currency = "USD";
  for (const o of orders.items) {
    currency = o.currency;
    const day = days.get(dayKey(new Date(o.placed_at)));
    if (day && o.status !== "cancelled") {
      day.orders += 1;
      day.revenue += Number(o.total);
    }
  }
  const open = (status) => orders.items.filter((o) => o.status === status).length;
  return {
    currency,
    today: days.get(today),
    toShip: open("confirmed"),
    pending: open("pending"),
    review: orders.items.filter((o) => o.review === "manual_review").length,
    days: [...days.entries()],
    low: low?.items || null,
    carts,
    sampled: orders.items.length,
  };
}

function SalesChart({ days, currency }) {
  const width = 640;
  const height = 200;
  const top = Math.max(1, ...days.map(([, d]) => d.revenue));
  const bar = (width - 40) / days.length;
  return html`<figure class="diagram">
    <svg viewBox=${`0 0 ${width} ${height + 30}`} role="img" aria-labelledby="sales-title" class="chart">
      <title id="sales-title">Revenue per day over the last ${days.length} days, highest ${money(top.toFixed(2), currency)}</title>
      <line x1="30" y1=${height} x2=${width} y2=${height} class="axis" />
      ${days.map(([day, d], i) => {
        const h = (d.revenue / top) * (height - 20);
        return html`<g><rect x=${34 + i * bar} y=${height - h} width=${bar - 8} height=${h} class="bar">
          <title>${day}: ${d.orders} orders, ${money(d.revenue.toFixed(2), currency)}</title></rect>
          ${i % 2 === 0 && html`<text x=${34 + i * bar + (bar - 8) / 2} y=${height + 16} text-anchor="middle" class="tick">${day.slice(5)}</text>`}</g>`;
      })}
    </svg>
    <figcaption class="muted">Revenue per day (cancelled orders left out).</figcaption>
  </figure>`;
}

export function Dashboard() {
  const data = useLoad(figures, []);
  if (data.loading) return html`<${Page} title="Today"><${Loading} /></${Page}>`;
  if (data.problem) return html`<${Page} title="Today"><${ProblemBox} problem=${data.problem} onRetry=${data.reload} /></${Page}>`;
  const f = data.data;
  return html`<${Page} title="Today">
    <div class="kpis">
      <div class="kpi panel"><span class="muted">Orders today</span><b>${f.today.orders}</b></div>
      <div class="kpi panel"><span class="muted">Revenue today</span><b>${money(f.today.revenue.toFixed(2), f.currency)}</b></div>
      ${f.carts && html`<div class="kpi panel"><span class="muted">Conversion today</span>
        <b>${f.carts.conversion === null ? "—" : `${(Number(f.carts.conversion) * 100).toFixed(1)} %`}</b>
        <span class="muted small">${f.carts.converted} of ${f.carts.with_items} carts with items became orders${
          f.carts.abandoned ? `; ${f.carts.abandoned} abandoned` : ""}</span></div>`}
      <div class="kpi panel"><span class="muted">To ship</span><b><${Link} to="/admin/orders?status=confirmed">${f.toShip}</${Link}></b></div>
      <div class="kpi panel"><span class="muted">Held for review</span><b><${Link} to="/admin/payments">${f.review}</${Link}></b></div>
    </div>
    <h2>Sales</h2>
    ${f.days.some(([, d]) => d.orders > 0)
      ? html`<${SalesChart} days=${f.days} currency=${f.currency} />`
      : html`<${Empty} title=${`No sales in the last ${DAYS} days`}>Orders placed in the shop show here, day by day.</${Empty}>`}
    <p class="muted">From the newest ${f.sampled} orders.</p>
    ${f.low && html`<h2>Stock running low</h2>${f.low.length === 0 ? html`<p class="muted">Nothing is at or below its reorder point.</p>` :
      html`<div class="table-wrap"><table><thead><tr><th>SKU</th><th>Location</th><th class="num">Available</th><th class="num">Reorder at</th></tr></thead>
      <tbody>${f.low.map((l) => html`<tr><td>${l.sku}</td><td>${l.location_code}</td><td class="num">${l.available}</td><td class="num">${l.reorder_point}</td></tr>`)}</tbody></table></div>`}`}
  </${Page}>`;
}
