// Stock per variant and location: on hand, reserved, available; those at or below their
// reorder point on demand; a count or a change recorded with its reason (the ledger keeps
// it), and the reorder point set.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { loadLocations, LocationSelect } from "./locations.js";

const REASONS = ["received", "damaged", "lost", "stolen", "count", "returned", "correction"];

export function Levels({ query }) {
  const chosen = { sku: query.get("sku") || "", location_id: query.get("location_id") || "", low: query.get("low") || "" };
  const [sku, setSku] = useState(chosen.sku);
  const locations = useLoad(loadLocations, []);
  const levels = useLoad(() => api("GET", `/v1/inventory/levels${toQuery({ ...chosen, limit: 100 })}`), [toQuery(chosen)]);
  const [open, setOpen] = useState(null);
  const set = (name, value) => navigate(`/admin/inventory${toQuery({ ...chosen, [name]: value })}`);
  return html`<${Page} title="Stock" actions=${html`<span><${Link} to="/admin/inventory/moves">Receive or transfer</${Link}> ·
    <${Link} to="/admin/inventory/reservations">Reservations</${Link}></span>`}>
    <form class="inline-form panel" role="search" onSubmit=${(e) => { e.preventDefault(); set("sku", sku.trim()); }}>
      <${Field} label="SKU" type="search" value=${sku} onInput=${(e) => setSku(e.currentTarget.value)} />
      ${locations.data && html`<${LocationSelect} locations=${locations.data} value=${chosen.location_id} any="Every location"
        onChange=${(v) => set("location_id", v)} />`}
      <label class="check"><input type="checkbox" checked=${chosen.low === "true"} onChange=${(e) => set("low", e.currentTarget.checked ? "true" : "")} /> Low stock only</label>
      <button class="button secondary" type="submit">Search</button>
    </form>
    ${levels.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${levels.problem} onRetry=${levels.reload} />
    ${levels.data && levels.data.items.length === 0 && html`<${Empty} title="No stock row matches." />`}
    ${levels.data && levels.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>SKU</th><th>Location</th><th class="num">On hand</th><th class="num">Reserved</th><th class="num">Available</th><th class="num">Reorder at</th><th></th></tr></thead>
      <tbody>${levels.data.items.map((l) => html`<tr>
        <td>${l.sku}</td><td>${l.location_code}</td><td class="num">${l.on_hand}</td><td class="num">${l.reserved}</td>
        <td class="num">${l.available}${l.reorder_point !== null && l.available <= l.reorder_point ? html` <span class="badge warn">low</span>` : ""}</td>
        <td class="num">${l.reorder_point ?? "—"}</td>
        <td><button class="link-button" aria-expanded=${open === l.id} aria-label=${`Adjust ${l.sku} at ${l.location_code}`} onClick=${() => setOpen(open === l.id ? null : l.id)}>Adjust</button></td></tr>
        ${open === l.id && html`<tr><td colspan="7"><${Adjust} level=${l} onDone=${() => { setOpen(null); levels.reload(); }} /></td></tr>`}`)}
      </tbody></table></div>`}
  </${Page}>`;
}

function Adjust({ level, onDone }) {
  const [form, setForm] = useState({ mode: "delta", amount: "", reason: "correction", note: "", reorder: level.reorder_point ?? "" });
  const [problem, setProblem] = useState(null);
  const bind = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });
  const adjust = async () => {
    setProblem(null);
    if (form.amount === "" || !Number.isInteger(Number(form.amount))) {
      setProblem({ title: "Give a whole number of units", detail: form.mode === "counted" ? "The units counted, 0 if none." : "Negative to remove." });
      return;
    }
    const amount = Number(form.amount);
    try {
      await api("POST", "/v1/inventory/adjustments", {
        body: {
          variant_id: level.variant_id,
          location_id: level.location_id,
          reason: form.mode === "counted" ? "count" : form.reason,
          note: form.note || null,
          ...(form.mode === "counted" ? { counted: amount } : { delta: amount }),
        },
      });
      onDone();
    } catch (p) {
      setProblem(p);
    }
  };
  const reorder = async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/inventory/levels/${level.id}`, { body: { reorder_point: form.reorder === "" ? null : Number(form.reorder) } });
      onDone();
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<div class="inline-form">
    <${Field} label="Change" as="select" value=${form.mode} onChange=${(e) => setForm({ ...form, mode: e.currentTarget.value })}>
      <option value="delta">Add or remove units</option><option value="counted">Set to a count</option>
    </${Field}>
    <${Field} label=${form.mode === "counted" ? "Counted units" : "Units (negative to remove)"} type="number" error=${errors.delta || errors.counted} ...${bind("amount")} />
    ${form.mode === "delta" && html`<${Field} label="Reason" as="select" value=${form.reason} onChange=${(e) => setForm({ ...form, reason: e.currentTarget.value })}>
      ${REASONS.filter((r) => r !== "count").map((r) => html`<option value=${r}>${words(r)}</option>`)}</${Field}>`}
    <${Field} label="Note" ...${bind("note")} />
    <${Action} onClick=${adjust}>Record</${Action}>
    <${Field} label="Reorder point" type="number" min="0" ...${bind("reorder")} />
    <${Action} kind="secondary" onClick=${reorder}>Set</${Action}>
    <${ProblemBox} problem=${problem} />
  </div>`;
}
