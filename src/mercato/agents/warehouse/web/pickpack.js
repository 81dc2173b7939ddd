// Pick & pack: the confirmed orders not yet shipped; those selected become one batch pick
// list, walked in order (zone, aisle in a serpentine, bay, level), a tote per order and the
// units no bin holds listed last; once picked, the orders are packed in the boxes chosen.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money, when } from "mercato/lib/format.js";
import { Action, Badge, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { WarehouseLinks } from "./parts.js";

const loadOrders = () => api("GET", "/v1/orders?status=confirmed&limit=100");

export function PickPack() {
  const orders = useLoad(loadOrders, []);
  const [chosen, setChosen] = useState([]);
  const [list, setList] = useState(null);
  const [packings, setPackings] = useState(null);
  const [problem, setProblem] = useState(null);
  const toggle = (id) => setChosen(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const run = (step) => async () => {
    setProblem(null);
    try {
      await step();
    } catch (p) {
      setProblem(p);
    }
  };
  const generate = run(async () => {
    setPackings(null);
    setList(await api("POST", "/v1/warehouse/pick-lists", { body: { order_ids: chosen } }));
  });
  const pickAll = run(async () => setList(await api("POST", `/v1/warehouse/pick-lists/${list.id}/pick`, { body: {} })));
  const pack = run(async () => setPackings((await api("POST", "/v1/warehouse/packing", { body: { pick_list_id: list.id } })).packings));
  const numbers = Object.fromEntries((orders.data?.items || []).map((o) => [o.id, o.number]));
  return html`<${Page} title="Pick & pack" wide actions=${html`<${WarehouseLinks} />`}>
    <div class="panel"><h2>Orders to pick</h2>
      ${orders.loading && html`<${Loading} />`}
      <${ProblemBox} problem=${orders.problem} onRetry=${orders.reload} />
      ${orders.data && orders.data.items.length === 0 && html`<${Empty} title="No confirmed order waits to be shipped." />`}
      ${orders.data && orders.data.items.length > 0 && html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Pick</th><th scope="col">Order</th><th scope="col">Placed</th><th scope="col" class="num">Units</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>${orders.data.items.map((o) => html`<tr>
          <td><input type="checkbox" aria-label=${`Select ${o.number}`} checked=${chosen.includes(o.id)} onChange=${() => toggle(o.id)} /></td>
          <td>${o.number}</td><td>${when(o.placed_at)}</td>
          <td class="num">${o.lines.reduce((n, l) => n + l.quantity, 0)}</td><td class="num">${money(o.total, o.currency)}</td></tr>`)}
        </tbody></table></div>
        <p><${Action} onClick=${generate} disabled=${chosen.length === 0}>Generate pick list (${chosen.length})</${Action}></p>`}
    </div>
    <${ProblemBox} problem=${problem} />
    ${list && html`<${PickList} list=${list} numbers=${numbers} onPickAll=${pickAll} onPack=${pack} />`}
    ${packings && html`<${Packings} packings=${packings} numbers=${numbers} />`}
  </${Page}>`;
}

function PickList({ list, onPickAll, onPack }) {
  return html`<section class="panel" aria-labelledby="pick-list-title">
    <h2 id="pick-list-title">Pick list <${Badge} status=${list.status} /></h2>
    <p class="hint">Walk the stops in order; each order's units go in its own tote.</p>
    <div class="table-wrap"><table>
      <caption class="visually-hidden">Stops in walk order</caption>
      <thead><tr><th scope="col" class="num">Stop</th><th scope="col">Bin</th><th scope="col">SKU</th><th scope="col" class="num">Units</th><th scope="col">Totes</th><th scope="col" class="num">Picked</th></tr></thead>
      <tbody>${list.stops.map((s) => html`<tr>
        <td class="num">${s.stop}</td>
        <td>${s.unlocated ? html`<span class="badge warn">Unlocated</span>` : s.bin_code}</td>
        <td>${s.sku}</td><td class="num">${s.quantity}</td>
        <td>${s.totes.map((t) => html`<span class="wh-tote">Tote ${t.tote}: ${t.order_number} × ${t.quantity}</span>`)}</td>
        <td class="num">${s.picked}</td></tr>`)}
      </tbody></table></div>
    <p class="row">
      ${list.status !== "picked" && html`<${Action} onClick=${onPickAll}>Mark all picked</${Action}>`}
      ${list.status === "picked" && html`<${Action} onClick=${onPack}>Pack the orders</${Action}>`}
    </p>
  </section>`;
}

function Packings({ packings, numbers }) {
  return html`<section class="panel" aria-labelledby="packing-title"><h2 id="packing-title">Packed</h2>
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Order</th><th scope="col">Box</th><th scope="col">Size (mm)</th><th scope="col" class="num">Weight (g)</th><th scope="col" class="num">Units</th></tr></thead>
      <tbody>${packings.flatMap((p) => p.packages.map((k) => html`<tr>
        <td>${numbers[p.order_id] || p.order_id || "Loose items"}</td><td>${k.box_code}</td>
        <td>${k.length_mm} × ${k.width_mm} × ${k.height_mm}</td><td class="num">${k.weight_grams}</td>
        <td class="num">${k.items.reduce((n, i) => n + i.quantity, 0)}</td></tr>`))}
      </tbody></table></div>
  </section>`;
}
