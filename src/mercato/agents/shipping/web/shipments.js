// Shipments for staff: every shipment, newest first, by status (chips) and carrier, with its
// order and dates; one shipment (its lines, where it goes, its tracking timeline, its label
// and packing slip) with what may happen next: ship it (with the carrier's tracking number),
// a delivery or a failed attempt, a tracking event seen elsewhere, or cancel it; and an
// order's fulfilment (`?order=…`: the panel of the admin order page, on a page of its own).
import { html, useEffect, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { FulfilmentPanel } from "./fulfilment.js";
import { ON_THE_WAY, PdfLink, STATUSES, Status, Tabs, Tracking, addressLine, statusLabel } from "./parts.js";

const PAGE = 50;
const canManage = () => roles().includes("admin");
const orderLink = (s) => html`<${Link} to=${`/admin/orders/${encodeURIComponent(s.order_id)}`}>${s.order_number}</${Link}>`;

export function AdminShipments({ query }) {
  if (query.get("order")) return html`<${OrderShipments} orderId=${query.get("order")} />`;
  const chosen = { status: query.get("status") || "", carrier: query.get("carrier") || "" };
  const key = toQuery(chosen);
  const carriers = useLoad(() => api("GET", "/v1/shipping/carriers").catch(() => ({ items: [] })), []);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  const first = useLoad(() => api("GET", `/v1/shipments${toQuery({ ...chosen, limit: PAGE })}`), [key]);
  useEffect(() => setMore({ items: [], cursor: null, problem: null }), [key, first.data]);
  const set = (name, value) => navigate(`/admin/shipments${toQuery({ ...chosen, [name]: value })}`);
  const items = [...(first.data?.items || []), ...more.items];
  const cursor = more.cursor ?? first.data?.next_cursor;
  const next = async () => {
    try {
      const page = await api("GET", `/v1/shipments${toQuery({ ...chosen, limit: PAGE, cursor })}`);
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor || "", problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const chip = (status, label) => html`<li><a href=${`/admin/shipments${toQuery({ ...chosen, status })}`}
    aria-current=${chosen.status === status ? "true" : undefined}
    onClick=${(e) => { e.preventDefault(); set("status", status); }}>${label}</a></li>`;
  return html`<${Page} title="Shipments" wide>
    <${Tabs} current="/admin/shipments" />
    <ul class="chips s-chips" aria-label="Status">${chip("", "All")}${STATUSES.map((s) => chip(s, statusLabel(s)))}</ul>
    <div class="inline-form s-filters">
      <${Field} label="Carrier" as="select" value=${chosen.carrier} onChange=${(e) => set("carrier", e.currentTarget.value)}>
        <option value="">Any</option>
        ${(carriers.data?.items || []).map((c) => html`<option value=${c.code}>${c.name}</option>`)}
      </${Field}>
    </div>
    ${first.loading && !first.data && html`<${Loading} />`}
    <${ProblemBox} problem=${first.problem} onRetry=${first.reload} />
    ${first.data && items.length === 0 && html`<${Empty} title="No shipment matches.">
      <p>Shipments are made from an order's page: open one among <${Link} to="/admin/orders?status=confirmed">the confirmed orders</${Link}>.</p></${Empty}>`}
    ${items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Shipment</th><th>Order</th><th>Status</th><th>Carrier</th><th>Tracking number</th><th>Created</th><th>Shipped</th></tr></thead>
      <tbody>${items.map((s) => html`<tr>
        <td class="s-nowrap"><${Link} to=${`/admin/shipments/${encodeURIComponent(s.id)}`}>${s.number}</${Link}>${s.kind === "return" ? html`<div class="muted">Return</div>` : ""}</td>
        <td class="s-nowrap">${orderLink(s)}</td><td><${Status} status=${s.status} /></td>
        <td>${s.carrier_name}<div class="muted">${s.service_name}</div></td>
        <td>${s.tracking_number || html`<span class="muted">None yet</span>`}</td>
        <td>${when(s.created_at)}</td><td>${s.shipped_at ? when(s.shipped_at) : html`<span class="muted">Not yet</span>`}</td>
      </tr>`)}</tbody></table></div>`}
    <${ProblemBox} problem=${more.problem} />
    ${cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${next} busyLabel="Loading…">More shipments</${Action}></div>`}
  </${Page}>`;
}

function OrderShipments({ orderId }) {
  const order = useLoad(() => api("GET", `/v1/orders/${encodeURIComponent(orderId)}`), [orderId]);
  if (order.loading && !order.data) return html`<${Page} title="Shipments"><${Loading} /></${Page}>`;
  if (order.problem) return html`<${Page} title="Shipments"><${ProblemBox} problem=${order.problem} onRetry=${order.reload} /></${Page}>`;
  const o = order.data;
  return html`<${Page} title=${`Shipments of order ${o.number}`} wide>
    <${Tabs} current="/admin/shipments" />
    <p><${Link} to=${`/admin/orders/${encodeURIComponent(o.id)}`}>Order ${o.number}</${Link}> ·
      <span class="muted">${words(o.status)} · ships to ${addressLine(o.shipping_address) || "no address"}</span></p>
    <${FulfilmentPanel} order=${o} onChange=${order.reload} />
  </${Page}>`;
}

/** What may happen next to a shipment, as buttons (admins; support staff only look). */
function Moves({ shipment, onMoved }) {
  const [tracking, setTracking] = useState("");
  const [scan, setScan] = useState({ status: "in_transit", description: "", location: "" });
  const [problem, setProblem] = useState(null);
  const path = `/v1/shipments/${encodeURIComponent(shipment.id)}`;
  const move = (step, body = {}) => async () => {
    setProblem(null);
    try {
      onMoved(await api("POST", `${path}/${step}`, { body }));
      return true;
    } catch (p) {
      setProblem(p);
      return false;
    }
  };
  if (!canManage()) return null;
  const s = shipment.status;
  const ready = s === "label_created";
  const moving = ON_THE_WAY.includes(s);
  if (!ready && !moving) return html`<p class="muted">Nothing left to do: the shipment is ${statusLabel(s).toLowerCase()}.</p>`;
  const scanBody = () => ({ status: scan.status, description: scan.description.trim(), location: scan.location.trim() || null });
  return html`<div class="s-moves">
    <${ProblemBox} problem=${problem} />
    ${ready && html`<form class="inline-form" onSubmit=${(e) => e.preventDefault()}>
      ${!shipment.tracking_number && html`<${Field} label="Tracking number" value=${tracking} autocomplete="off"
        hint="The carrier's, as on its receipt; left empty, the label's number is used"
        onInput=${(e) => setTracking(e.currentTarget.value)} />`}
      <${Action} onClick=${move("ship", { tracking_number: tracking.trim() || null })} busyLabel="Shipping…">Ship</${Action}>
      <${Action} kind="danger" onClick=${move("cancel")} busyLabel="Cancelling…">Cancel shipment</${Action}>
    </form>`}
    ${moving && html`<div class="inline-form">
      <${Action} onClick=${move("deliver")} busyLabel="Saving…">Mark delivered</${Action}>
      <${Action} kind="secondary" onClick=${move("attempt-failed", {})} busyLabel="Saving…">Delivery attempt failed</${Action}>
    </div>
    <details class="s-scan"><summary>Record a tracking event</summary>
      <form class="inline-form" onSubmit=${(e) => e.preventDefault()}>
        <${Field} label="Event" as="select" value=${scan.status} onChange=${(e) => setScan({ ...scan, status: e.currentTarget.value })}>
          ${["in_transit", "out_for_delivery", "exception", "returned_to_sender"].map((v) => html`<option value=${v}>${statusLabel(v)}</option>`)}
        </${Field}>
        <${Field} label="What happened" value=${scan.description} onInput=${(e) => setScan({ ...scan, description: e.currentTarget.value })} />
        <${Field} label="Where" value=${scan.location} onInput=${(e) => setScan({ ...scan, location: e.currentTarget.value })} />
        <${Action} kind="secondary" onClick=${async () => { if (await move("tracking", scanBody())()) setScan({ ...scan, description: "", location: "" }); }}>Record</${Action}>
      </form>
    </details>`}
  </div>`;
}

export function ShipmentPage({ params }) {
  const found = useLoad(() => api("GET", `/v1/shipments/${encodeURIComponent(params.id)}`), [params.id]);
  const [moved, setMoved] = useState(null);
  if (found.loading && !found.data) return html`<${Page} title="Shipment"><${Loading} /></${Page}>`;
  if (found.problem) return html`<${Page} title="Shipment"><${ProblemBox} problem=${found.problem} onRetry=${found.reload} /></${Page}>`;
  const s = moved?.id === found.data.id ? moved : found.data;
  return html`<${Page} title=${`Shipment ${s.number}`} wide>
    <${Tabs} current="" />
    <p class="s-head"><${Status} status=${s.status} /> <span class="muted">Order</span> ${orderLink(s)}
      <span class="muted"> · ${s.carrier_name} ${s.service_name}</span></p>
    <div class="row">
      <div class="grow">
        <div class="panel"><h2>What happens next</h2><${Moves} shipment=${s} onMoved=${setMoved} /></div>
        <div class="panel"><h2>Lines</h2><div class="table-wrap"><table>
          <thead><tr><th>Item</th><th>SKU</th><th class="num">Units</th></tr></thead>
          <tbody>${s.lines.map((l) => html`<tr><td>${l.name}</td><td>${l.sku}</td><td class="num">${l.quantity}</td></tr>`)}</tbody>
        </table></div></div>
        <div class="panel"><h2>Tracking</h2><${Tracking} shipment=${s} /></div>
      </div>
      <aside class="side">
        <div class="panel"><h2>Details</h2><dl class="facts">
          <dt>Tracking number</dt><dd>${s.tracking_number || html`<span class="muted">None yet</span>`}</dd>
          <dt>Ships to</dt><dd>${addressLine(s.ship_to)}</dd>
          <dt>Weight</dt><dd>${(s.weight_grams / 1000).toFixed(2)} kg in ${s.packages.length} parcel${s.packages.length === 1 ? "" : "s"}</dd>
          <dt>Cost</dt><dd>${money(s.cost, s.currency)}</dd>
          <dt>Created</dt><dd>${when(s.created_at)}</dd>
          <dt>Shipped</dt><dd>${s.shipped_at ? when(s.shipped_at) : html`<span class="muted">Not yet</span>`}</dd>
          <dt>Delivered</dt><dd>${s.delivered_at ? when(s.delivered_at) : html`<span class="muted">Not yet</span>`}</dd>
          ${s.failed_attempts > 0 && html`<dt>Failed attempts</dt><dd>${s.failed_attempts}</dd>`}
        </dl></div>
        <div class="panel"><h2>Papers</h2><ul class="s-papers">
          <li><${PdfLink} href=${s.label_url} name=${`${s.number}-label.pdf`}>Label (PDF)</${PdfLink}></li>
          <li><${PdfLink} href=${s.packing_slip_url} name=${`${s.number}-packing-slip.pdf`}>Packing slip (PDF)</${PdfLink}></li>
        </ul></div>
      </aside>
    </div>
    <p><${Link} to="/admin/shipments">All shipments</${Link}> · <${Link} to=${`/admin/shipments?order=${encodeURIComponent(s.order_id)}`}>All shipments of order ${s.order_number}</${Link}></p>
  </${Page}>`;
}
