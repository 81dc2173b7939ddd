// An order's fulfilment for staff, shown on the admin order page (and on /admin/shipments
// ?order=…): each line's ordered, shipped, delivered and returned units, the plan (which
// location ships which units), the order's shipments, and "Create shipment": units of the
// lines not yet in a shipment, a carrier's service from the order's rates, then the label.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Field, Loading, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { PdfLink, Status, arrives } from "./parts.js";

const CLOSED = ["pending", "cancelled", "delivered", "refunded"];

/** Units of each line already in a shipment that is not cancelled (line id → units). */
function inShipments(shipments) {
  const units = {};
  for (const s of shipments) {
    if (s.status === "cancelled" || s.kind !== "outbound") continue;
    for (const l of s.lines) units[l.line_id] = (units[l.line_id] || 0) + l.quantity;
  }
  return units;
}

function LineUnits({ order }) {
  return html`<div class="table-wrap"><table class="s-units">
    <caption class="visually-hidden">Units of each line</caption>
    <thead><tr><th>Item</th><th class="num">Ordered</th><th class="num">Shipped</th><th class="num">Delivered</th>
      <th class="num">Returned</th><th>Status</th></tr></thead>
    <tbody>${order.lines.map((l) => html`<tr><td>${l.name}<div class="muted">${l.sku}</div></td>
      <td class="num">${l.quantity}</td><td class="num">${l.shipped_quantity ?? 0}</td><td class="num">${l.delivered_quantity ?? 0}</td>
      <td class="num">${l.returned_quantity ?? 0}</td>
      <td>${l.requires_shipping === false ? html`<span class="muted">Does not ship</span>` : html`<${Status} status=${l.fulfilment_status || "unfulfilled"} />`}</td></tr>`)}</tbody>
  </table></div>`;
}

function Plan({ plan, order, places }) {
  if (!plan) return null;
  const name = (id) => order.lines.find((l) => l.id === id)?.sku || id;
  const unplanned = Object.entries(plan.unplanned || {});
  if (plan.shipments.length === 0 && unplanned.length === 0) return html`<p class="muted">Nothing left to plan.</p>`;
  return html`<div class="s-plan"><h3>Fulfilment plan</h3>
    <ul>${plan.shipments.map((p) => html`<li>From <b>${places[p.location_id] || p.location_id}</b>: ${Object.entries(p.lines)
      .map(([line, units]) => `${units} × ${name(line)}`).join(", ")}</li>`)}</ul>
    ${unplanned.length > 0 && html`<p class="notice">No location holds ${unplanned.map(([line, units]) => `${units} × ${name(line)}`).join(", ")}.</p>`}
  </div>`;
}

function NewShipment({ order, left, onMade }) {
  const id = encodeURIComponent(order.id);
  const rates = useLoad(() => api("GET", `/v1/shipping/rates?order_id=${id}`), [order.id, order.version]);
  const [units, setUnits] = useState(() => Object.fromEntries(Object.entries(left).map(([line, n]) => [line, String(n)])));
  const [choice, setChoice] = useState("");
  const [problem, setProblem] = useState(null);
  const lines = order.lines.filter((l) => left[l.id] > 0);
  const chosen = lines
    .map((l) => ({ line_id: l.id, quantity: Number(units[l.id] ?? 0) }))
    .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
  const option = rates.data?.options.find((o) => o.id === choice);
  const create = async () => {
    setProblem(null);
    try {
      const body = { lines: chosen, ...(option ? { carrier: option.carrier, service: option.service } : {}) };
      onMade(await api("POST", `/v1/orders/${id}/shipments`, { body }));
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<fieldset class="s-new"><legend><h3>Create shipment</h3></legend>
    <div class="inline-form">
      ${lines.map((l) => html`<${Field} label=${`Units of ${l.sku}`} type="number" min="0" max=${left[l.id]} class="qty"
        value=${units[l.id]} hint=${`${left[l.id]} left`} onInput=${(e) => setUnits({ ...units, [l.id]: e.currentTarget.value })} />`)}
    </div>
    ${rates.loading && html`<${Loading} label="Asking the carriers…" />`}
    ${rates.problem && html`<p class="muted">${rates.problem.title}: the store's choice is used.</p>`}
    ${rates.data && html`<${Field} label="Ship with" as="select" value=${choice} onChange=${(e) => setChoice(e.currentTarget.value)}
      hint="The service the shopper chose at checkout, else the cheapest, unless you pick one">
      <option value="">The shopper's choice, else the cheapest</option>
      ${rates.data.options.map((o) => html`<option value=${o.id}>${o.carrier_name} ${o.service_name}: ${money(o.price, o.currency)}, ${arrives(o.estimated_delivery)}${o.tags.length ? ` (${o.tags.join(", ").replaceAll("_", " ")})` : ""}</option>`)}
    </${Field}>`}
    ${rates.data?.warnings.length > 0 && html`<p class="hint">${rates.data.warnings.join(" ")}</p>`}
    <${ProblemBox} problem=${problem} />
    <${Action} onClick=${create} disabled=${chosen.length === 0} busyLabel="Buying the label…">Create shipment</${Action}>
  </fieldset>`;
}

export function FulfilmentPanel({ order, onChange }) {
  const id = encodeURIComponent(order.id);
  const shipments = useLoad(() => api("GET", `/v1/orders/${id}/shipments`), [order.id, order.version]);
  const plan = useLoad(() => api("GET", `/v1/orders/${id}/fulfilment-plan`).catch(() => null), [order.id, order.version]);
  const places = useLoad(
    () => api("GET", "/v1/inventory/locations").then((d) => Object.fromEntries(d.items.map((l) => [l.id, l.name])), () => ({})),
    [],
  );
  const [made, setMade] = useState(null);
  const reload = async () => {
    await Promise.all([shipments.reload(), plan.reload(), onChange ? onChange() : null]);
  };
  const list = shipments.data?.items || [];
  const held = inShipments(list);
  const left = Object.fromEntries(
    order.lines.filter((l) => l.requires_shipping !== false).map((l) => [l.id, Math.max(0, l.quantity - (held[l.id] || 0))]),
  );
  const open = !CLOSED.includes(order.status) && Object.values(left).some((n) => n > 0);
  return html`<section class="panel s-fulfilment" aria-labelledby="s-fulfilment-title">
    <h2 id="s-fulfilment-title">Shipments</h2>
    <${LineUnits} order=${order} />
    <${Plan} plan=${plan.data} order=${order} places=${places.data || {}} />
    ${shipments.loading && !shipments.data && html`<${Loading} />`}
    <${ProblemBox} problem=${shipments.problem} onRetry=${shipments.reload} />
    ${made && html`<p class="notice" role="status">Shipment ${made.number} created with ${made.carrier_name} ${made.service_name}. <${PdfLink} href=${made.label_url} name=${`${made.number}-label.pdf`}>Print its label (PDF)</${PdfLink}></p>`}
    ${list.length > 0 && html`<div class="table-wrap"><table>
      <caption class="visually-hidden">Shipments of order ${order.number}</caption>
      <thead><tr><th>Shipment</th><th>Status</th><th>Carrier</th><th>Units</th><th>Papers</th></tr></thead>
      <tbody>${list.map((s) => html`<tr>
        <td class="s-nowrap"><${Link} to=${`/admin/shipments/${encodeURIComponent(s.id)}`}>${s.number}</${Link}>${s.kind === "return" ? html` <span class="muted">(return)</span>` : ""}</td>
        <td><${Status} status=${s.status} /></td>
        <td>${s.carrier_name} ${s.service_name}${s.tracking_number ? html`<div class="muted">${s.tracking_number}</div>` : ""}</td>
        <td>${s.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}</td>
        <td><${PdfLink} href=${s.label_url} name=${`${s.number}-label.pdf`} aria-label=${`Label of ${s.number} (PDF)`}>Label</${PdfLink}> · <${PdfLink} href=${s.packing_slip_url} name=${`${s.number}-packing-slip.pdf`} aria-label=${`Packing slip of ${s.number} (PDF)`}>Packing slip</${PdfLink}></td>
      </tr>`)}</tbody></table></div>`}
    ${shipments.data && list.length === 0 && html`<p class="muted">No shipment yet.</p>`}
    ${shipments.data && open && html`<${NewShipment} key=${`${order.version}-${list.length}`} order=${order} left=${left}
      onMade=${async (s) => { setMade(s); await reload(); }} />`}
  </section>`;
}
