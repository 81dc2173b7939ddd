// One order as its shopper sees it: its number and status, lines and totals, where it goes,
// and its timeline; a pending or confirmed order can be cancelled here (BR006).
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Action, Badge, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const CANCELLABLE = ["pending", "confirmed"];

/** Who did it, as the reader knows them: "you" for their own doing, the customer, a
 * member of staff (an account id), or the agent that acted ("system", "payments"). */
function by(actor, order, viewer) {
  if (!actor) return "";
  const me = signedIn()?.user?.id;
  if (actor === me || (viewer === "shopper" && (actor === order.customer_id || actor === "guest"))) return " · by you";
  if (actor === order.customer_id || actor === "guest") return " · by the customer";
  return /^[0-9a-f]{8}-/.test(actor) ? " · by staff" : ` · ${actor}`;
}

export function Timeline({ entries, order, viewer = "shopper" }) {
  return html`<ol class="timeline">${entries.map((entry) => html`<li>
    <b>${words(entry.kind)}</b> <span class="muted">${when(entry.at)}${by(entry.actor, order, viewer)}</span>
    ${entry.detail?.reason && html`<div class="muted">${words(entry.detail.reason)}</div>`}
  </li>`)}</ol>`;
}

export function OrderPage({ params, query }) {
  const Tracking = service("shipping.tracking"); // the shipping agent's, when it runs
  const Returns = service("returns.order"); // the returns agent's, when it runs
  const order = useLoad(() => api("GET", `/v1/orders/${encodeURIComponent(params.id)}`), [params.id]);
  const [problem, setProblem] = useState(null);
  if (order.loading && !order.data) return html`<${Page}><${Loading} /></${Page}>`;
  if (order.problem) return html`<${Page} title="Order"><${ProblemBox} problem=${order.problem} onRetry=${order.reload} /></${Page}>`;
  const o = order.data;
  const c = o.currency;
  const cancel = async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/orders/${o.id}/cancel`, { body: { reason: "customer_request" } });
      await order.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const address = o.shipping_address;
  return html`<${Page} title=${`Order ${o.number}`}
    actions=${CANCELLABLE.includes(o.status) && html`<${Action} kind="danger" onClick=${cancel} busyLabel="Cancelling…">Cancel order</${Action}>`}>
    ${query.get("placed") && o.status !== "cancelled" &&
    html`<p class="notice" role="status">Thank you! Your order ${o.number} is ${words(o.status).toLowerCase()}; a confirmation goes to ${o.email}.</p>`}
    <${ProblemBox} problem=${problem} />
    <p><${Badge} status=${o.status} /> <span class="muted">Payment:</span> <${Badge} status=${o.payment_status} />
      <span class="muted"> · placed ${when(o.placed_at)}</span></p>
    <div class="row">
      <div class="grow panel">
        <div class="table-wrap"><table><thead><tr><th>Item</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Total</th></tr></thead>
          <tbody>${o.lines.map((line) => html`<tr><td>${line.name}<div class="muted">${line.sku}</div></td>
            <td class="num">${line.quantity}</td><td class="num">${money(line.unit_price, c)}</td><td class="num">${money(line.line_total, c)}</td></tr>`)}</tbody>
        </table></div>
        <table class="totals" style="margin-top:12px"><tbody>
          <tr><td>Subtotal</td><td class="num">${money(o.subtotal, c)}</td></tr>
          ${Number(o.discount_total) > 0 && html`<tr><td>Discount${o.discount_code ? ` (${o.discount_code})` : ""}</td><td class="num">−${money(o.discount_total, c)}</td></tr>`}
          <tr><td>Shipping</td><td class="num">${money(o.shipping_total, c)}</td></tr>
          <tr><td>Tax</td><td class="num">${money(o.tax_total, c)}</td></tr>
          <tr class="total"><td>Total</td><td class="num">${money(o.total, c)}</td></tr>
        </tbody></table>
      </div>
      <aside class="side">
        ${address && html`<div class="panel"><h2>Ships to</h2><address>${address.name}<br />${address.line1}<br />
          ${address.line2 && html`${address.line2}<br />`}${address.city} ${address.postal_code}<br />${address.country}</address>
          ${o.tracking_number && html`<p>${o.carrier}: ${o.tracking_number}</p>`}</div>`}
        ${Tracking && html`<${Tracking} order=${o} />`}
        ${Returns && html`<${Returns} order=${o} />`}
        <div class="panel"><h2>Timeline</h2><${Timeline} entries=${o.timeline} order=${o} /></div>
      </aside>
    </div>
    <p><${Link} to="/account/orders">All your orders</${Link}></p>
  </${Page}>`;
}
