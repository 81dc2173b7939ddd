// Orders as staff see them: every order of the store (a merchant: those with its lines),
// filtered by status, payment status, tag or words (a number, an email).
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { money, when } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const STATUSES = ["", "pending", "confirmed", "shipped", "delivered", "cancelled"];
const PAYMENTS = ["", "pending", "authorized", "paid", "partially_refunded", "refunded", "failed"];

export function AdminOrders({ query }) {
  const chosen = { status: query.get("status") || "", payment_status: query.get("payment_status") || "", q: query.get("q") || "" };
  const [words, setWords] = useState(chosen.q);
  const orders = useLoad(() => api("GET", `/v1/orders${toQuery({ ...chosen, limit: 100 })}`), [toQuery(chosen)]);
  const set = (name, value) => navigate(`/admin/orders${toQuery({ ...chosen, [name]: value })}`);
  return html`<${Page} title="Orders">
    <form class="inline-form panel" role="search" onSubmit=${(e) => { e.preventDefault(); set("q", words.trim()); }}>
      <${Field} label="Number or email" type="search" value=${words} onInput=${(e) => setWords(e.currentTarget.value)} />
      <${Field} label="Status" as="select" value=${chosen.status} onChange=${(e) => set("status", e.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s ? s.replace("_", " ") : "Any"}</option>`)}
      </${Field}>
      <${Field} label="Payment" as="select" value=${chosen.payment_status} onChange=${(e) => set("payment_status", e.currentTarget.value)}>
        ${PAYMENTS.map((s) => html`<option value=${s}>${s ? s.replace("_", " ") : "Any"}</option>`)}
      </${Field}>
      <button class="button secondary" type="submit">Search</button>
    </form>
    ${orders.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${orders.problem} onRetry=${orders.reload} />
    ${orders.data && orders.data.items.length === 0 && html`<${Empty} title="No order matches." />`}
    ${orders.data && orders.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Order</th><th>Placed</th><th>Customer</th><th>Status</th><th>Payment</th><th class="num">Total</th></tr></thead>
      <tbody>${orders.data.items.map((o) => html`<tr>
        <td><${Link} to=${`/admin/orders/${o.id}`}>${o.number}</${Link}></td><td>${when(o.placed_at)}</td><td>${o.email}</td>
        <td><${Badge} status=${o.status} /></td><td><${Badge} status=${o.payment_status} />${o.review ? html` <${Badge} status="review" />` : ""}</td>
        <td class="num">${money(o.total, o.currency)}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
