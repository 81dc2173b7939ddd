// Stock that arrives (a receipt of several lines at one location) and stock that moves
// between locations (a transfer), by SKU.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { loadLocations, LocationSelect } from "./locations.js";

export function Movements() {
  const locations = useLoad(loadLocations, []);
  if (locations.loading) return html`<${Page} title="Receive and transfer"><${Loading} /></${Page}>`;
  if (locations.problem) return html`<${Page} title="Receive and transfer"><${ProblemBox} problem=${locations.problem} onRetry=${locations.reload} /></${Page}>`;
  return html`<${Page} title="Receive and transfer">
    <div class="row">
      <div class="grow"><${Receipt} locations=${locations.data} /></div>
      <div class="grow"><${Transfer} locations=${locations.data} /></div>
    </div>
  </${Page}>`;
}

function Receipt({ locations }) {
  const [location, setLocation] = useState(locations[0]?.id || "");
  const [reference, setReference] = useState("");
  const [lines, setLines] = useState([{ sku: "", quantity: "" }]);
  const [outcome, setOutcome] = useState(null);
  const line = (i, name) => (e) => setLines(lines.map((l, j) => (j === i ? { ...l, [name]: e.currentTarget.value } : l)));
  const receive = async () => {
    setOutcome(null);
    try {
      const body = {
        location_id: location,
        reference: reference || null,
        lines: lines.filter((l) => l.sku.trim()).map((l) => ({ sku: l.sku.trim(), quantity: Number(l.quantity) })),
      };
      await api("POST", "/v1/inventory/receipts", { body });
      setOutcome({ done: `Received ${body.lines.length} line${body.lines.length === 1 ? "" : "s"}.` });
      setLines([{ sku: "", quantity: "" }]);
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  return html`<div class="panel"><h2>Receive stock</h2>
    <${LocationSelect} locations=${locations} value=${location} onChange=${setLocation} />
    <${Field} label="Reference (a purchase order, a delivery note)" value=${reference} onInput=${(e) => setReference(e.currentTarget.value)} />
    ${lines.map((l, i) => html`<div class="fields">
      <${Field} label=${`SKU, line ${i + 1}`} value=${l.sku} onInput=${line(i, "sku")} />
      <${Field} label=${`Units, line ${i + 1}`} type="number" min="1" value=${l.quantity} onInput=${line(i, "quantity")} /></div>`)}
    <p><button class="link-button" onClick=${() => setLines([...lines, { sku: "", quantity: "" }])}>Add a line</button></p>
    <${Action} onClick=${receive}>Receive</${Action}>
    ${outcome?.done && html`<p class="notice" role="status">${outcome.done}</p>`}
    <${ProblemBox} problem=${outcome?.problem} />
  </div>`;
}

function Transfer({ locations }) {
  const [form, setForm] = useState({ sku: "", quantity: "", from: locations[0]?.id || "", to: locations[1]?.id || "", note: "" });
  const [outcome, setOutcome] = useState(null);
  const transfer = async () => {
    setOutcome(null);
    try {
      await api("POST", "/v1/inventory/transfers", {
        body: { sku: form.sku.trim(), quantity: Number(form.quantity), from_location_id: form.from, to_location_id: form.to, note: form.note || null },
      });
      setOutcome({ done: `Moved ${form.quantity} × ${form.sku}.` });
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  return html`<div class="panel"><h2>Transfer stock</h2>
    <${Field} label="SKU" value=${form.sku} onInput=${(e) => setForm({ ...form, sku: e.currentTarget.value })} />
    <${Field} label="Units" type="number" min="1" value=${form.quantity} onInput=${(e) => setForm({ ...form, quantity: e.currentTarget.value })} />
    <${LocationSelect} label="From" locations=${locations} value=${form.from} onChange=${(v) => setForm({ ...form, from: v })} />
    <${LocationSelect} label="To" locations=${locations} value=${form.to} onChange=${(v) => setForm({ ...form, to: v })} />
    <${Field} label="Note" value=${form.note} onInput=${(e) => setForm({ ...form, note: e.currentTarget.value })} />
    <${Action} onClick=${transfer}>Transfer</${Action}>
    ${outcome?.done && html`<p class="notice" role="status">${outcome.done}</p>`}
    <${ProblemBox} problem=${outcome?.problem} />
  </div>`;
}
