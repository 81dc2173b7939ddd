// An order's shipments as its shopper sees them, on their order's page: each parcel's
// status, its carrier and tracking number, what is in it, and its tracking timeline.
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Status, Tracking } from "./parts.js";

const WAITING = ["confirmed", "pending"];

export function OrderTracking({ order }) {
  const found = useLoad(
    () => api("GET", `/v1/orders/${encodeURIComponent(order.id)}/shipments`),
    [order.id, order.version, order.status],
  );
  const parcels = (found.data?.items || []).filter((s) => s.kind === "outbound" && s.status !== "cancelled");
  if (found.problem) return html`<div class="panel"><h2>Shipments</h2><${ProblemBox} problem=${found.problem} onRetry=${found.reload} /></div>`;
  if (!found.data) return null;
  if (parcels.length === 0) {
    return WAITING.includes(order.status)
      ? html`<div class="panel s-mine"><h2>Shipments</h2><p class="muted">Tracking shows here as soon as your order ships.</p></div>`
      : null;
  }
  return html`<div class="panel s-mine"><h2>Shipments</h2>
    ${parcels.map((s, i) => html`<section class="s-parcel" aria-label=${`Parcel ${i + 1} of ${parcels.length}`}>
      <p><${Status} status=${s.status} /> <b>${s.carrier_name} ${s.service_name}</b>${s.tracking_number &&
        html`<br /><span class="muted">Tracking number</span> ${s.tracking_number}`}</p>
      <p class="muted">${s.lines.map((l) => `${l.quantity} × ${l.name}`).join(", ")}</p>
      <${Tracking} shipment=${s} />
    </section>`)}
  </div>`;
}
