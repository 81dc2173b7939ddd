// One order for staff: its lines and totals, its payments (capture, refund), shipping,
// delivery, cancellation, notes and tags, and the timeline each of these adds to.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Action, Badge, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ADDRESS, Address, addressBody } from "./checkout.js";
import { Timeline } from "./order.js";

/** Run a staff action, then read the order again; its timeline also takes entries other
 * agents add when they hear of the action (a capture's), so it is read twice more. */
function usePerform(reload) {
  const [problem, setProblem] = useState(null);
  const later = useRef([]);
  useEffect(() => () => later.current.forEach(clearTimeout), []);
  const perform = (method, path, body) => async () => {
    setProblem(null);
    try {
      await api(method, path, { body });
    } catch (p) {
      setProblem(p);
      return false;
    }
    await reload();
    later.current.forEach(clearTimeout);
    later.current = [600, 2000].map((ms) => setTimeout(reload, ms));
    return true;
  };
  return [problem, perform];
}

/** Line quantities changed before the order ships (0 removes a line): the API re-prices the
 * order, adjusts its stock and its payment (a higher total is authorized anew). */
function ModifyLines({ order, onSave }) {
  const [quantities, setQuantities] = useState(() => Object.fromEntries(order.lines.map((l) => [l.id, l.quantity])));
  const blank = order.lines.some((l) => String(quantities[l.id]).trim() === "");
  const changed = blank ? [] : order.lines.filter((l) => Number(quantities[l.id]) !== l.quantity);
  return html`<div class="inline-form">
    ${order.lines.map((l) => html`<${Field} label=${`Quantity of ${l.sku}`} type="number" min="0" max="99" class="qty"
      value=${quantities[l.id]} onInput=${(e) => setQuantities({ ...quantities, [l.id]: e.currentTarget.value })} />`)}
    <${Action} kind="secondary" disabled=${changed.length === 0}
      onClick=${onSave({ lines: changed.map((l) => ({ line_id: l.id, quantity: Number(quantities[l.id]) })) })}>Change quantities</${Action}>
  </div>`;
}

/** Where the order ships, changed before it does (the API re-prices the order's tax). */
function ShipTo({ order, onSave, problem }) {
  const [address, setAddress] = useState({ ...ADDRESS, ...(order.shipping_address || {}) });
  const errors = problem?.fields ? problem.fields() : {};
  return html`<${Address} legend="Ships to" value=${address} onChange=${setAddress} errors=${errors} prefix="shipping_address" />
    <${Action} kind="secondary" onClick=${onSave({ shipping_address: addressBody(address) })}>Change the address</${Action}>`;
}

export function AdminOrder({ params }) {
  const Shipments = service("shipping.fulfilment"); // the shipping agent's, when it runs
  const order = useLoad(() => api("GET", `/v1/orders/${encodeURIComponent(params.id)}`), [params.id]);
  const payments = useLoad(() => api("GET", `/v1/payments?order_id=${encodeURIComponent(params.id)}`), [params.id]);
  const reload = async () => {
    await Promise.all([order.reload(), payments.reload()]);
  };
  const [problem, perform] = usePerform(reload);
  const [ship, setShip] = useState({ carrier: "", tracking_number: "" });
  const [refund, setRefund] = useState("");
  const [note, setNote] = useState("");
  const [tags, setTags] = useState(null);
  if (order.loading && !order.data) return html`<${Page} title="Order"><${Loading} /></${Page}>`;
  if (order.problem) return html`<${Page} title="Order"><${ProblemBox} problem=${order.problem} onRetry=${order.reload} /></${Page}>`;
  const o = order.data;
  const c = o.currency;
  const id = encodeURIComponent(o.id);
  const tagText = tags ?? o.tags.join(", ");
  return html`<${Page} title=${`Order ${o.number}`} wide>
    <p><${Badge} status=${o.status} /> <${Badge} status=${o.payment_status} />${o.review && html` <${Badge} status="review" /> ${words(o.review)}`}
      <span class="muted"> · ${o.email} · placed ${when(o.placed_at)}</span></p>
    <${ProblemBox} problem=${problem} />
    <div class="row">
      <div class="grow">
        <div class="panel"><div class="table-wrap"><table><thead><tr><th>Item</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Total</th></tr></thead>
          <tbody>${o.lines.map((l) => html`<tr><td>${l.name}<div class="muted">${l.sku}</div></td><td class="num">${l.quantity}</td>
            <td class="num">${money(l.unit_price, c)}</td><td class="num">${money(l.line_total, c)}</td></tr>`)}</tbody></table></div>
          ${["pending", "confirmed"].includes(o.status) && html`<${ModifyLines} key=${o.version} order=${o}
            onSave=${(body) => perform("PATCH", `/v1/orders/${id}`, body)} />`}
          <p class="price" style="text-align:right">Total ${money(o.total, c)}${Number(o.discount_total) > 0 ? html` <span class="muted">(discount ${money(o.discount_total, c)})</span>` : ""}</p></div>
        <div class="panel"><h2>Payments</h2>
          ${payments.loading && html`<${Loading} />`}
          <${ProblemBox} problem=${payments.problem} onRetry=${payments.reload} />
          ${payments.data && payments.data.items.map((p) => html`<div class="payment">
            <p><${Badge} status=${p.status} /> ${money(p.amount, p.currency)} · ${p.provider} ${p.card_brand || ""} ${p.card_last4 ? `…${p.card_last4}` : ""}
              <span class="muted"> · captured ${money(p.captured_amount, p.currency)}, refunded ${money(p.refunded_amount, p.currency)}</span></p>
            <div class="inline-form">
              ${p.status === "authorized" && html`<${Action} kind="secondary" onClick=${perform("POST", `/v1/payments/${p.id}/capture`, {})}>Capture ${money(p.amount, p.currency)}</${Action}>`}
              ${Number(p.captured_amount) > Number(p.refunded_amount) && html`
                <${Field} label="Refund amount" inputmode="decimal" value=${refund} placeholder=${(Number(p.captured_amount) - Number(p.refunded_amount)).toFixed(2)}
                  onInput=${(e) => setRefund(e.currentTarget.value)} />
                <${Action} kind="danger" onClick=${perform("POST", `/v1/payments/${p.id}/refunds`, { amount: refund || (Number(p.captured_amount) - Number(p.refunded_amount)).toFixed(2) })}>Refund</${Action}>`}
            </div></div>`)}
        </div>
        ${Shipments && html`<${Shipments} order=${o} onChange=${reload} />`}
        <div class="panel"><h2>Fulfilment</h2>
          ${o.status === "confirmed" && html`<div class="inline-form">
            <${Field} label="Carrier" value=${ship.carrier} onInput=${(e) => setShip({ ...ship, carrier: e.currentTarget.value })} />
            <${Field} label="Tracking number" value=${ship.tracking_number} onInput=${(e) => setShip({ ...ship, tracking_number: e.currentTarget.value })} />
            <${Action} onClick=${perform("POST", `/v1/orders/${id}/ship`, { carrier: ship.carrier || null, tracking_number: ship.tracking_number || null })}>Mark shipped</${Action}>
          </div>`}
          ${o.status === "shipped" && html`<p>${o.carrier || "Carrier not given"} ${o.tracking_number || ""}</p>
            <${Action} onClick=${perform("POST", `/v1/orders/${id}/deliver`, {})}>Mark delivered</${Action}>`}
          ${["pending", "confirmed"].includes(o.status) && html`<p><${Action} kind="danger" onClick=${perform("POST", `/v1/orders/${id}/cancel`, { reason: "merchant_cancelled" })}>Cancel order</${Action}></p>`}
          ${["pending", "confirmed"].includes(o.status) && o.shipping_address && html`<details><summary>Change where it ships</summary>
            <${ShipTo} key=${o.version} order=${o} problem=${problem} onSave=${(body) => perform("PATCH", `/v1/orders/${id}`, body)} /></details>`}
          ${o.shipping_address && !["pending", "confirmed"].includes(o.status) && html`<p class="muted">Ships to ${o.shipping_address.name}, ${o.shipping_address.city} ${o.shipping_address.country}</p>`}
          ${["delivered", "cancelled"].includes(o.status) && html`<p class="muted">Nothing left to do: the order is ${o.status}.</p>`}
        </div>
      </div>
      <aside class="side">
        <div class="panel"><h2>Timeline</h2><${Timeline} entries=${o.timeline} order=${o} viewer="staff" /></div>
        <div class="panel"><h2>Notes</h2>
          <ul class="notes">${o.notes.map((n) => html`<li><b>${n.author}</b> <span class="muted">${when(n.created_at)}${n.internal ? " · internal" : ""}</span><p>${n.body}</p></li>`)}</ul>
          <${Field} label="New note" value=${note} onInput=${(e) => setNote(e.currentTarget.value)} />
          <${Action} kind="secondary" onClick=${async () => { if (await perform("POST", `/v1/orders/${id}/notes`, { body: note, internal: true })()) setNote(""); }}>Add internal note</${Action}>
        </div>
        <div class="panel"><h2>Tags</h2>
          <${Field} label="Tags (comma separated)" value=${tagText} onInput=${(e) => setTags(e.currentTarget.value)} />
          <${Action} kind="secondary" onClick=${async () => { if (await perform("PUT", `/v1/orders/${id}/tags`, { tags: tagText.split(",").map((t) => t.trim()).filter(Boolean) })()) setTags(null); }}>Save tags</${Action}>
        </div>
      </aside>
    </div>
    <p><${Link} to="/admin/orders">All orders</${Link}></p>
  </${Page}>`;
}
