// The shopper's orders, newest first (a guest sees the orders of their session).
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money, day } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Badge, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { credentials } from "mercato/lib/credentials.js";

export function OrderHistory() {
  const anyone = Object.keys(credentials()).length > 0;
  const orders = useLoad(() => (anyone ? api("GET", "/v1/orders?limit=50") : Promise.resolve({ items: [] })), []);
  return html`<${Page} title="Your orders">
    ${orders.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${orders.problem} onRetry=${orders.reload} />
    ${orders.data && orders.data.items.length === 0 &&
    html`<${Empty} title="No orders yet.">${anyone ? html`<${Link} to="/shop/products">Start shopping</${Link}>`
      : html`<${Link} to="/account/sign-in?next=/account/orders">Sign in</${Link}> to see your orders.`}</${Empty}>`}
    ${orders.data && orders.data.items.length > 0 &&
    html`<div class="table-wrap"><table><thead><tr><th>Order</th><th>Placed</th><th>Status</th><th>Items</th><th class="num">Total</th></tr></thead>
      <tbody>${orders.data.items.map((o) => html`<tr>
        <td><${Link} to=${`/account/orders/${o.id}`}>${o.number}</${Link}></td><td>${day(o.placed_at)}</td>
        <td><${Badge} status=${o.status} /></td><td>${o.lines.reduce((n, l) => n + l.quantity, 0)}</td>
        <td class="num">${money(o.total, o.currency)}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
