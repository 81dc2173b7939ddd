// Reservations: stock held for a reference (an order), by status, with when each expires.
import { html } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { when } from "mercato/lib/format.js";
import { navigate } from "mercato/lib/router.js";
import { Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const STATUSES = ["", "active", "allocated", "committed", "released", "expired"];

export function Reservations({ query }) {
  const chosen = { status: query.get("status") || "", reference: query.get("reference") || "" };
  const found = useLoad(() => api("GET", `/v1/inventory/reservations${toQuery({ ...chosen, limit: 100 })}`), [toQuery(chosen)]);
  const set = (name, value) => navigate(`/admin/inventory/reservations${toQuery({ ...chosen, [name]: value })}`);
  return html`<${Page} title="Reservations">
    <div class="inline-form panel">
      <${Field} label="Status" as="select" value=${chosen.status} onChange=${(e) => set("status", e.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s || "Any"}</option>`)}
      </${Field}>
      <${Field} label="Reference (an order id)" value=${chosen.reference} onChange=${(e) => set("reference", e.currentTarget.value.trim())} />
    </div>
    ${found.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.data && found.data.items.length === 0 && html`<${Empty} title="No reservation matches." />`}
    ${found.data && found.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Reference</th><th>Variant</th><th class="num">Units</th><th>Status</th><th>Expires</th><th>Made</th></tr></thead>
      <tbody>${found.data.items.map((r) => html`<tr><td><code>${r.reference}</code></td><td><code>${r.variant_id}</code></td>
        <td class="num">${r.quantity}</td><td><${Badge} status=${r.status} /></td><td>${when(r.expires_at)}</td><td>${when(r.created_at)}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
