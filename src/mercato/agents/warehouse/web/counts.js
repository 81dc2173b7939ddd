// Cycle counts: count a zone of a location; record what each bin holds; completing books
// each difference to the bin and, as an adjustment with the reason "count", to the stock.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { when } from "mercato/lib/format.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { loadLocations, LocationSelect, WarehouseLinks } from "./parts.js";

export function Counts() {
  const locations = useLoad(loadLocations, []);
  const [location, setLocation] = useState("");
  const chosen = location || locations.data?.[0]?.id || "";
  const zones = useLoad(() => (chosen ? api("GET", `/v1/warehouse/zones${toQuery({ location_id: chosen })}`) : Promise.resolve({ items: [] })), [chosen]);
  const recent = useLoad(() => api("GET", "/v1/warehouse/cycle-counts?limit=20"), []);
  const [zone, setZone] = useState("");
  const [count, setCount] = useState(null);
  const [problem, setProblem] = useState(null);
  const run = (step) => async () => {
    setProblem(null);
    try {
      await step();
    } catch (p) {
      setProblem(p);
    }
  };
  const zoneItems = zones.data?.items || [];
  const zoneChosen = zone || (zoneItems.find((z) => z.kind === "storage") || zoneItems[0])?.id || "";
  const start = run(async () => {
    const zoneId = zoneChosen;
    setCount(await api("POST", "/v1/warehouse/cycle-counts", { body: { location_id: chosen, zone_id: zoneId } }));
    recent.reload();
  });
  const open = run(async () => setCount(await api("GET", `/v1/warehouse/cycle-counts/${recent.data.items[0].id}`)));
  return html`<${Page} title="Cycle counts" wide actions=${html`<${WarehouseLinks} />`}>
    ${locations.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${locations.problem || zones.problem} />
    ${locations.data && html`<div class="inline-form panel">
      <${LocationSelect} locations=${locations.data} value=${chosen} onChange=${(v) => { setLocation(v); setZone(""); }} />
      <${Field} label="Zone" as="select" value=${zoneChosen} onChange=${(e) => setZone(e.currentTarget.value)}>
        ${zoneItems.map((z) => html`<option value=${z.id}>${z.name} (${z.code})</option>`)}</${Field}>
      <${Action} onClick=${start}>Start a count</${Action}>
      ${recent.data && recent.data.items.length > 0 && html`<${Action} kind="secondary" onClick=${open}>Open the latest count</${Action}>`}
    </div>`}
    <${ProblemBox} problem=${problem} />
    ${count && html`<${Sheet} count=${count} onChange=${(c) => { setCount(c); recent.reload(); }} />`}
    ${recent.data && recent.data.items.length === 0 && html`<${Empty} title="No count yet." />`}
  </${Page}>`;
}

function Sheet({ count, onChange }) {
  const [found, setFound] = useState({});
  const [problem, setProblem] = useState(null);
  const run = (step) => async () => {
    setProblem(null);
    try {
      onChange(await step());
    } catch (p) {
      setProblem(p);
    }
  };
  const lines = count.lines.filter((l) => found[l.id] !== undefined && found[l.id] !== "")
    .map((l) => ({ bin_id: l.bin_id, variant_id: l.variant_id, counted: Number(found[l.id]) }));
  const record = run(() => api("POST", `/v1/warehouse/cycle-counts/${count.id}/lines`, { body: { lines } }));
  const complete = run(() => api("POST", `/v1/warehouse/cycle-counts/${count.id}/complete`));
  const editable = count.status === "open";
  return html`<section class="panel" aria-labelledby="count-title">
    <h2 id="count-title">Count of ${when(count.created_at)} <${Badge} status=${count.status} /></h2>
    ${count.lines.length === 0 && html`<${Empty} title="The bins counted hold nothing." />`}
    ${count.lines.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Bin</th><th scope="col">SKU</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Counted</th><th scope="col" class="num">Difference</th></tr></thead>
      <tbody>${count.lines.map((l) => html`<tr><td>${l.bin_code}</td><td>${l.sku}</td><td class="num">${l.expected}</td>
        <td class="num">${editable ? html`<input class="wh-count" type="number" min="0" aria-label=${`Counted in ${l.bin_code}, ${l.sku}`}
          value=${found[l.id] ?? (l.counted ?? "")} onInput=${(e) => setFound({ ...found, [l.id]: e.currentTarget.value })} />` : l.counted ?? "—"}</td>
        <td class="num">${l.difference ?? "—"}</td></tr>`)}</tbody></table></div>`}
    ${editable && html`<p class="row"><${Action} kind="secondary" onClick=${record} disabled=${lines.length === 0}>Record counts</${Action}>
      <${Action} onClick=${complete}>Complete the count</${Action}></p>`}
    <${ProblemBox} problem=${problem} />
  </section>`;
}
