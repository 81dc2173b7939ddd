// Bins and zones of a location: the zones in walk order, each bin with what it holds, and
// forms to add a zone or a bin (its aisle, bay and level read from a code like A-03-2-B).
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { loadLocations, LocationSelect, WarehouseLinks } from "./parts.js";

const KINDS = ["storage", "picking", "receiving", "packing"];

export function Layout() {
  const locations = useLoad(loadLocations, []);
  const [location, setLocation] = useState("");
  const chosen = location || locations.data?.[0]?.id || "";
  return html`<${Page} title="Bins and zones" wide actions=${html`<${WarehouseLinks} />`}>
    ${locations.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${locations.problem} onRetry=${locations.reload} />
    ${locations.data && html`<div class="inline-form panel"><${LocationSelect} locations=${locations.data} value=${chosen} onChange=${setLocation} /></div>`}
    ${chosen && html`<${OfLocation} key=${chosen} location=${chosen} />`}
  </${Page}>`;
}

function OfLocation({ location }) {
  const zones = useLoad(() => api("GET", `/v1/warehouse/zones${toQuery({ location_id: location, limit: 200 })}`), [location]);
  const bins = useLoad(() => api("GET", `/v1/warehouse/bins${toQuery({ location_id: location, limit: 200 })}`), [location]);
  const reload = () => { zones.reload(); bins.reload(); };
  return html`<div class="row">
    <section class="grow panel" aria-labelledby="zones-title"><h2 id="zones-title">Zones</h2>
      <${ProblemBox} problem=${zones.problem} onRetry=${zones.reload} />
      ${zones.data && zones.data.items.length === 0 && html`<${Empty} title="No zone yet." />`}
      ${zones.data && zones.data.items.length > 0 && html`<div class="table-wrap"><table>
        <thead><tr><th scope="col" class="num">Walk</th><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Kind</th></tr></thead>
        <tbody>${zones.data.items.map((z) => html`<tr><td class="num">${z.sequence}</td><td>${z.code}</td><td>${z.name}</td><td>${words(z.kind)}</td></tr>`)}</tbody>
      </table></div>`}
      <${NewZone} location=${location} onDone=${reload} />
      ${zones.data && zones.data.items.length > 0 && html`<${NewBin} zones=${zones.data.items} onDone=${reload} />`}
    </section>
    <section class="grow panel" aria-labelledby="bins-title"><h2 id="bins-title">Bins</h2>
      ${bins.loading && html`<${Loading} />`}
      <${ProblemBox} problem=${bins.problem} onRetry=${bins.reload} />
      ${bins.data && bins.data.items.length === 0 && html`<${Empty} title="No bin yet." />`}
      ${bins.data && bins.data.items.length > 0 && html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Bin</th><th scope="col">Zone</th><th scope="col">Holds</th></tr></thead>
        <tbody>${bins.data.items.map((b) => html`<tr><td>${b.code}</td><td>${b.zone_code}</td>
          <td>${b.contents.length === 0 ? "Empty" : b.contents.map((c) => html`<span class="wh-tote">${c.sku || c.variant_id} × ${c.quantity}</span>`)}</td></tr>`)}</tbody>
      </table></div>`}
    </section>
  </div>`;
}

function NewZone({ location, onDone }) {
  const [form, setForm] = useState({ code: "", name: "", kind: "storage", sequence: "1" });
  const [problem, setProblem] = useState(null);
  const bind = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });
  const add = async () => {
    setProblem(null);
    try {
      await api("POST", "/v1/warehouse/zones", { body: { ...form, location_id: location, sequence: Number(form.sequence) } });
      setForm({ ...form, code: "", name: "" });
      onDone();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<h3>Add a zone</h3><div class="inline-form">
    <${Field} label="Zone code" ...${bind("code")} /><${Field} label="Zone name" ...${bind("name")} />
    <${Field} label="Kind" as="select" value=${form.kind} onChange=${(e) => setForm({ ...form, kind: e.currentTarget.value })}>
      ${KINDS.map((k) => html`<option value=${k}>${words(k)}</option>`)}</${Field}>
    <${Field} label="Walk order" type="number" min="0" ...${bind("sequence")} />
    <${Action} kind="secondary" onClick=${add}>Add zone</${Action}>
  </div><${ProblemBox} problem=${problem} />`;
}

function NewBin({ zones, onDone }) {
  const [zone, setZone] = useState(zones[0].id);
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState(null);
  const add = async () => {
    setProblem(null);
    try {
      await api("POST", "/v1/warehouse/bins", { body: { zone_id: zone, code: code.trim() } });
      setCode("");
      onDone();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<h3>Add a bin</h3><div class="inline-form">
    <${Field} label="Zone" as="select" value=${zone} onChange=${(e) => setZone(e.currentTarget.value)}>
      ${zones.map((z) => html`<option value=${z.id}>${z.name} (${z.code})</option>`)}</${Field}>
    <${Field} label="Bin code" hint="aisle-bay-level[-position], such as A-03-2-B" value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
    <${Action} kind="secondary" onClick=${add}>Add bin</${Action}>
  </div><${ProblemBox} problem=${problem} />`;
}
