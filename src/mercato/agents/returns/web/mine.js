// A shopper's returns: the panel of their order page ("Return items", the 30-day window, the
// order's returns), their returns, one return (its status, what happens next, the label to
// print, the refund), and their store credit on the account page.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { day, money, when } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { LabelLink, NEXT, Status, WINDOW_DAYS, reasonLabel, resolutionLabel, returnable } from "./parts.js";

const DAY_MS = 86_400_000;

/** The order's returns the caller can see (a guest lists none: only signed-in shoppers). */
export function orderReturns(orderId) {
  if (!signedIn()) return Promise.resolve({ items: [] });
  return api("GET", `/v1/returns?order_id=${encodeURIComponent(orderId)}&limit=50`);
}

/** When the return window of a delivered order closes (null: nothing delivered yet). */
export function windowEnd(order) {
  return order.delivered_at ? new Date(new Date(order.delivered_at).getTime() + WINDOW_DAYS * DAY_MS) : null;
}

/** The panel on the shopper's order page (`service("returns.order")`, `{ order }`). */
export function OrderReturns({ order }) {
  const returns = useLoad(() => orderReturns(order.id), [order.id, order.version]);
  const delivered = order.lines.some((l) => (l.delivered_quantity || 0) > 0) || order.status === "delivered";
  if (!delivered && !(returns.data?.items || []).length) return null;
  const left = order.lines.reduce((n, l) => n + returnable(l, returns.data?.items), 0);
  const ends = windowEnd(order);
  const late = ends && ends < new Date();
  return html`<section class="panel r-order" aria-labelledby="r-order-title">
    <h2 id="r-order-title">Returns</h2>
    ${ends && left > 0 && html`<p class=${late ? "r-window late" : "r-window"}>${late
      ? `The ${WINDOW_DAYS}-day return window of this order closed on ${day(ends)}.`
      : `Delivered items can be returned within ${WINDOW_DAYS} days of delivery: this order's return window is open until ${day(ends)}.`}</p>`}
    ${left > 0 && html`<${Link} to=${`/account/orders/${encodeURIComponent(order.id)}/return`} class="button primary r-button">Return items</${Link}>`}
    ${returns.data && left === 0 && delivered && html`<p class="muted">Every delivered item of this order is returned or in a return.</p>`}
    <${ProblemBox} problem=${returns.problem} onRetry=${returns.reload} />
    ${(returns.data?.items || []).length > 0 && html`<ul class="r-list">${returns.data.items.map((r) => html`<li>
      <${Link} to=${`/account/returns/${encodeURIComponent(r.id)}`}>${r.number}</${Link}> <${Status} status=${r.status} />
      <div class="muted">${r.lines.reduce((n, l) => n + l.quantity, 0)} item(s) · ${day(r.requested_at)}</div>
      ${r.status === "approved" && html`<div><${LabelLink} ret=${r} /></div>`}
    </li>`)}</ul>`}
  </section>`;
}

/** The signed-in shopper's returns, newest first. */
export function MyReturns() {
  const returns = useLoad(() => (signedIn() ? api("GET", "/v1/returns?limit=100") : Promise.resolve(null)), []);
  if (!signedIn()) {
    return html`<${Page} title="Your returns"><${Empty} title="Sign in to see your returns.">
      <${Link} to="/account/sign-in?next=/account/returns">Sign in</${Link}></${Empty}></${Page}>`;
  }
  const items = returns.data?.items || [];
  return html`<${Page} title="Your returns">
    <p class="muted">To return something, open the order among <${Link} to="/account/orders">your orders</${Link}> and choose “Return items”: delivered items can be returned within ${WINDOW_DAYS} days of delivery.</p>
    ${returns.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${returns.problem} onRetry=${returns.reload} />
    ${returns.data && items.length === 0 && html`<${Empty} title="No returns yet." />`}
    ${items.length > 0 && html`<div class="table-wrap"><table><thead><tr><th>Return</th><th>Status</th><th>Order</th><th>Asked</th><th>Items</th><th class="num">Refund</th></tr></thead>
      <tbody>${items.map((r) => html`<tr>
        <td class="r-nowrap"><${Link} to=${`/account/returns/${encodeURIComponent(r.id)}`}>${r.number}</${Link}></td>
        <td><${Status} status=${r.status} /></td>
        <td class="r-nowrap"><${Link} to=${`/account/orders/${encodeURIComponent(r.order_id)}`}>${r.order_number}</${Link}></td>
        <td class="r-nowrap">${day(r.requested_at)}</td>
        <td>${r.lines.map((l) => html`<div>${l.quantity} × ${l.name}</div>`)}</td>
        <td class="num">${["inspected", "refunding", "refunded"].includes(r.status) ? money(r.refund_amount, r.currency) : html`<span class="muted">—</span>`}</td>
      </tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

/** One return as its shopper sees it. */
export function MyReturn({ params, query }) {
  const found = useLoad(() => api("GET", `/v1/returns/${encodeURIComponent(params.id)}`), [params.id]);
  const [problem, setProblem] = useState(null);
  if (found.loading && !found.data) return html`<${Page}><${Loading} /></${Page}>`;
  if (found.problem) return html`<${Page} title="Return"><${ProblemBox} problem=${found.problem} onRetry=${found.reload} /></${Page}>`;
  const r = found.data;
  const c = r.currency;
  const cancel = async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/returns/${encodeURIComponent(r.id)}/cancel`);
      await found.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title=${`Return ${r.number}`}
    actions=${["requested", "approved"].includes(r.status) && html`<${Action} kind="danger" onClick=${cancel} busyLabel="Cancelling…">Cancel this return</${Action}>`}>
    <${ProblemBox} problem=${problem} />
    ${query.get("new") && html`<p class="notice" role="status">Your return ${r.number} is ${r.status === "approved" ? "approved" : "sent: we will look at it shortly"}.</p>`}
    <p><${Status} status=${r.status} /> <span class="muted">asked ${when(r.requested_at)} · order </span>
      <${Link} to=${`/account/orders/${encodeURIComponent(r.order_id)}`}>${r.order_number}</${Link}></p>
    <div class="row">
      <div class="grow">
        <div class="panel">
          <p class="r-next">${NEXT[r.status] || ""}</p>
          ${r.status === "approved" && (r.label_url
            ? html`<p><${LabelLink} ret=${r} class="button primary r-button" /></p>`
            : html`<p class="muted">Your return label is being made: look again in a few minutes.</p>`)}
          ${r.rejection_reason && html`<p><b>Why:</b> ${r.rejection_reason}</p>`}
        </div>
        <div class="panel"><h2>Items</h2>
          <ul class="lines r-lines-list">${r.lines.map((l) => html`<li class="line"><div class="what"><b>${l.quantity} × ${l.name}</b>
            <div class="muted">${l.sku}</div>
            <div>${reasonLabel(l.reason)}${l.note ? html`: <q class="r-note">${l.note}</q>` : ""}</div></div>
            ${l.condition && html`<div class="num">${money(l.refund_amount, c)}</div>`}</li>`)}</ul>
        </div>
      </div>
      <aside class="side"><div class="panel"><h2>Your choice</h2>
        <dl class="facts">
          <dt>Resolution</dt><dd>${resolutionLabel(r.resolution)}</dd>
          ${["inspected", "refunding", "refunded"].includes(r.status) && html`<dt>Refund</dt><dd>${money(r.refund_amount, c)}</dd>`}
          ${Number(r.fee_amount) > 0 && html`<dt>Deducted</dt><dd>${money(r.fee_amount, c)}</dd>`}
          ${Number(r.refunded_to_payment) > 0 && html`<dt>To your card</dt><dd>${money(r.refunded_to_payment, c)}</dd>`}
          ${Number(r.refunded_to_credit) > 0 && html`<dt>To store credit</dt><dd>${money(r.refunded_to_credit, c)}</dd>`}
          ${r.replacement_order_id && html`<dt>Replacement</dt><dd><${Link} to=${`/account/orders/${encodeURIComponent(r.replacement_order_id)}`}>Your new order</${Link}></dd>`}
        </dl></div></aside>
    </div>
    <p><${Link} to="/account/returns">All your returns</${Link}></p>
  </${Page}>`;
}

const CREDIT_REASONS = { return: "Return", checkout: "Spent on an order", checkout_reversed: "Order cancelled: given back", adjustment: "Adjustment" };

/** The signed-in shopper's store credit: balance and latest changes (`service("returns.credit")`). */
export function StoreCredit() {
  const credit = useLoad(() => api("GET", "/v1/me/store-credit"), []);
  return html`<section class="panel r-credit" aria-labelledby="r-credit-title">
    <h2 id="r-credit-title">Store credit</h2>
    ${credit.loading && !credit.data && html`<${Loading} />`}
    <${ProblemBox} problem=${credit.problem} onRetry=${credit.reload} />
    ${credit.data && html`<p class="r-balance">Balance: <b>${money(credit.data.balance, credit.data.currency)}</b></p>
      ${credit.data.items.length === 0
        ? html`<p class="muted">No store credit yet: a return refunded to store credit adds it here, and checkout spends it.</p>`
        : html`<div class="table-wrap"><table><caption class="visually-hidden">Store credit history</caption>
          <thead><tr><th>When</th><th>What</th><th class="num">Change</th></tr></thead>
          <tbody>${credit.data.items.map((e) => html`<tr><td>${when(e.created_at)}</td>
            <td>${e.reason === "return"
              ? html`Return <${Link} to=${`/account/returns/${encodeURIComponent(e.reference)}`}>${(e.note || "").replace(/^return /, "") || "of items"}</${Link}>`
              : html`${CREDIT_REASONS[e.reason] || e.reason}${e.note ? html` <span class="muted">· ${e.note}</span>` : ""}`}</td>
            <td class=${Number(e.amount) < 0 ? "num r-minus" : "num r-plus"}>${Number(e.amount) > 0 ? "+" : ""}${money(e.amount, e.currency)}</td></tr>`)}</tbody>
        </table></div>`}`}
    <p><${Link} to="/account/returns">Your returns</${Link}></p>
  </section>`;
}
