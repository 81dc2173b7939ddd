// A product's analyses (/admin/intelligence, /admin/intelligence/products/:id): its demand
// forecast for 7, 30 or 90 days with the intervals, stock and the gap, and the alerts; its
// reviews' sentiment (overall, by aspect, over time, complaints, feature requests, topics);
// and its competitors' prices, the alerts on their changes and the pricing suggestions a
// merchant accepts with one click.
import { html, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ForecastChart, SharesBar } from "./charts.js";
import { Tabs } from "./parts.js";

const pct = (v) => (v === null || v === undefined ? "—" : `${Number(v) > 0 ? "+" : ""}${Number(v).toFixed(1)} %`);
const polarity = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(2));

export function ProductsPage() {
  const [q, setQ] = useState("");
  const found = useLoad(() => api("GET", `/v1/products${query({ q: q || undefined, limit: 20 })}`), [q]);
  return html`<${Page} title="Intelligence">
    <${Tabs} current="/admin/intelligence" />
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); setQ(e.currentTarget.elements.q.value.trim()); }}>
      <${Field} label="Find a product" name="q" type="search" />
      <button class="button secondary" type="submit">Search</button>
    </form>
    ${found.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.data && found.data.items.length === 0 && html`<${Empty} title="No product matches" />`}
    ${found.data && html`<ul class="i-products">${found.data.items.map((p) => html`<li><${Link} to=${`/admin/intelligence/products/${p.id}`}>${p.name}</${Link}> <span class="muted">${money(p.price, p.currency)}</span></li>`)}</ul>`}
  </${Page}>`;
}

function Demand({ id }) {
  const [horizon, setHorizon] = useState(30);
  const fc = useLoad(() => api("GET", `/v1/intelligence/forecast/products/${encodeURIComponent(id)}?horizon=${horizon}`), [id, horizon]);
  const f = fc.data;
  return html`<section class="card"><h2>Demand</h2>
    <div class="inline-form">${[7, 30, 90].map((n) => html`<button class=${`button ${n === horizon ? "primary" : "secondary"}`} aria-pressed=${n === horizon} onClick=${() => setHorizon(n)}>${n} days</button>`)}</div>
    ${fc.loading && !f && html`<${Loading} label="Forecasting…" />`}
    <${ProblemBox} problem=${fc.problem} onRetry=${fc.reload} />
    ${f && html`<p>${words(f.model)}${f.seasonality.length ? `, ${f.seasonality.join(" and ")} seasonality` : ", no seasonality found"}, from ${f.history_days} days of sales.
        ${f.low_confidence ? html` <${Badge} status="low_confidence" /> ${f.confidence.reasons.map(words).join(", ")}.` : ` Confidence ${Math.round(f.confidence.score * 100)} %.`}</p>
      <${ForecastChart} points=${f.points} label=${`Forecast of ${f.horizon} days: ${Math.round(f.gap.demand)} units expected`} />
      <p>Expected over ${f.horizon} days: <b>${Math.round(f.gap.demand)}</b> units (up to ${Math.round(f.gap.demand_upper_95)} at 95 %). In stock ${f.stock.on_hand}, inbound ${f.stock.inbound}.
        ${f.gap.gap > 0 ? html` Short by <b>${Math.ceil(f.gap.gap)}</b>${f.gap.stockout_date ? `, out of stock about ${f.gap.stockout_date}` : ""}.` : " Enough stock."}</p>
      ${f.alerts.map((a) => html`<p class=${`alert ${a.severity}`} role="status"><${Badge} status=${a.kind} /> ${a.message}</p>`)}`}
  </section>`;
}

function Sentiment({ id }) {
  const s = useLoad(() => api("GET", `/v1/intelligence/sentiment/products/${encodeURIComponent(id)}`), [id]);
  const d = s.data;
  return html`<section class="card"><h2>Review sentiment</h2>
    ${s.loading && !d && html`<${Loading} />`}
    <${ProblemBox} problem=${s.problem} onRetry=${s.reload} />
    ${d && d.count === 0 && html`<p class="muted">No published review yet.</p>`}
    ${d && d.count > 0 && html`<p>${d.count} reviews, mean polarity <b>${polarity(d.mean_polarity)}</b> (from −1 to 1).</p>
      <${SharesBar} shares=${d.shares} />
      ${d.aspects.length > 0 && html`<h3>By aspect</h3><div class="table-wrap"><table><thead><tr><th>Aspect</th><th>Mentions</th><th>Polarity</th><th>Shares</th></tr></thead>
        <tbody>${d.aspects.map((a) => html`<tr><td>${words(a.aspect)}</td><td>${a.count}</td><td>${polarity(a.mean_polarity)}</td><td><${SharesBar} shares=${a.shares} /></td></tr>`)}</tbody></table></div>`}
      ${d.trend.month.length > 0 && html`<h3>By month</h3><div class="table-wrap"><table><thead><tr><th>Month</th><th>Reviews</th><th>Polarity</th></tr></thead>
        <tbody>${d.trend.month.map((b) => html`<tr><td>${b.period.slice(0, 7)}</td><td>${b.count}</td><td>${polarity(b.mean_polarity)}</td></tr>`)}</tbody></table></div>`}
      ${d.complaints.length > 0 && html`<h3>Complaints</h3><ul>${d.complaints.map((c) => html`<li><b>${c.pattern}</b> (${c.count})${c.examples[0] ? html`<div class="muted">“${c.examples[0].text}”</div>` : ""}</li>`)}</ul>`}
      ${d.feature_requests.length > 0 && html`<h3>Feature requests</h3><ol>${d.feature_requests.map((f) => html`<li>${f.request} <span class="muted">(${f.count})</span></li>`)}</ol>`}
      ${d.topics.length > 0 && html`<h3>Topics</h3><ul>${d.topics.map((t) => html`<li><b>${t.label}</b> <span class="muted">${t.count} reviews, polarity ${polarity(t.mean_polarity)}: ${t.keywords.join(", ")}</span></li>`)}</ul>`}`}
  </section>`;
}

function Pricing({ id }) {
  const p = useLoad(() => api("GET", `/v1/intelligence/pricing${query({ product_id: id })}`), [id]);
  const [problem, setProblem] = useState(null);
  const d = p.data;
  const accept = (s) => async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/intelligence/pricing/suggestions/${encodeURIComponent(s.id)}/accept`);
      p.reload();
    } catch (e) {
      setProblem(e);
    }
  };
  return html`<section class="card"><h2>Prices</h2>
    ${p.loading && !d && html`<${Loading} />`}
    <${ProblemBox} problem=${p.problem || problem} onRetry=${p.reload} />
    ${d && html`<p>The store asks <b>${money(d.price, d.currency)}</b>.${d.market ? ` Competitors: ${money(d.market.min, d.currency)} to ${money(d.market.max, d.currency)}, median ${money(d.market.median, d.currency)}.` : " No competitor's price is matched to it yet."}
        ${d.position ? ` Rank ${d.position.rank} of ${d.position.of} (${words(d.position.label)}).` : ""}</p>
      ${d.competitors.length > 0 && html`<div class="table-wrap"><table><thead><tr><th>Competitor</th><th>Price</th><th>Gap</th><th>Seen</th><th>Confidence</th><th>Promotions</th></tr></thead>
        <tbody>${d.competitors.map((c) => html`<tr><td><a href=${c.url} rel="noopener noreferrer" target="_blank">${c.competitor}</a></td><td>${money(c.price, c.currency)}</td>
          <td>${c.comparable ? pct(c.gap_percent) : html`<span class="muted">other currency</span>`}</td><td>${when(c.observed_at)}</td><td>${Math.round(c.confidence * 100)} %</td>
          <td>${c.promotions.map((x) => html`<div>${words(x.kind)}: ${x.text}</div>`)}</td></tr>`)}</tbody></table></div>`}
      ${d.alerts.length > 0 && html`<h3>Price changes</h3><ul>${d.alerts.map((a) => html`<li>${a.competitor}: ${money(a.old_price, a.currency)} → ${money(a.new_price, a.currency)} (${pct(a.change_percent)}), ${when(a.observed_at)}</li>`)}</ul>`}
      <h3>Suggestions</h3>
      ${d.suggestions.length === 0 ? html`<p class="muted">No suggestion: the price holds its place.</p>` : html`<div class="table-wrap"><table><thead><tr><th>Price</th><th>Why</th><th>Floor</th><th>Confidence</th><th></th></tr></thead>
        <tbody>${d.suggestions.map((s) => html`<tr><td><b>${money(s.price, s.currency)}</b></td><td>${s.reason}</td><td>${s.floor ? money(s.floor, s.currency) : html`<span class="muted">no cost known</span>`}</td>
          <td>${Math.round(s.confidence * 100)} %</td><td>${s.status === "open" ? html`<${Action} onClick=${accept(s)}>Accept</${Action}>` : html`<${Badge} status=${s.status} />`}</td></tr>`)}</tbody></table></div>`}`}
  </section>`;
}

export function ProductAnalysis({ params }) {
  const product = useLoad(() => api("GET", `/v1/products/${encodeURIComponent(params.id)}`), [params.id]);
  const name = product.data?.name || "Product";
  return html`<${Page} title=${name} wide>
    <${Tabs} current="/admin/intelligence" />
    <p><a href="/admin/intelligence" onClick=${(e) => { e.preventDefault(); navigate("/admin/intelligence"); }}>← All products</a></p>
    <${ProblemBox} problem=${product.problem} onRetry=${product.reload} />
    <div class="i-grid"><${Demand} id=${params.id} /><${Sentiment} id=${params.id} /><${Pricing} id=${params.id} /></div>
  </${Page}>`;
}
