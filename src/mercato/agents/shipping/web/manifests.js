// A carrier's manifest of a day (staff): the parcels that shipped with it that day, their
// weight, and the PDF its driver signs.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { PdfLink, Status, Tabs, addressLine } from "./parts.js";

/** Today as `YYYY-MM-DD` (UTC: the API's manifest days are UTC days). */
const today = () => new Date().toISOString().slice(0, 10);

export function ManifestsPage({ query }) {
  const carriers = useLoad(() => api("GET", "/v1/shipping/carriers"), []);
  const first = carriers.data?.items[0]?.code || "";
  const chosen = { carrier: query.get("carrier") || first, day: query.get("day") || today() };
  const [day, setDay] = useState(chosen.day);
  const manifest = useLoad(
    () => (chosen.carrier ? api("GET", `/v1/shipping/manifests${toQuery(chosen)}`) : Promise.resolve(null)),
    [chosen.carrier, chosen.day],
  );
  const set = (changes) => navigate(`/admin/shipping/manifests${toQuery({ ...chosen, ...changes })}`);
  const m = manifest.data;
  return html`<${Page} title="Manifests" wide>
    <${Tabs} current="/admin/shipping/manifests" />
    <form class="inline-form panel" onSubmit=${(e) => { e.preventDefault(); set({ day }); }}>
      <${Field} label="Carrier" as="select" value=${chosen.carrier} onChange=${(e) => set({ carrier: e.currentTarget.value })}>
        ${(carriers.data?.items || []).map((c) => html`<option value=${c.code}>${c.name}</option>`)}
      </${Field}>
      <${Field} label="Day (UTC)" type="date" value=${day} onInput=${(e) => setDay(e.currentTarget.value)} />
      <button class="button secondary" type="submit">Show</button>
    </form>
    <${ProblemBox} problem=${carriers.problem || manifest.problem} onRetry=${manifest.reload} />
    ${manifest.loading && !m && html`<${Loading} />`}
    ${m && html`<div class="s-manifest-head"><p><b>${m.parcels}</b> parcel${m.parcels === 1 ? "" : "s"}, <b>${(m.weight_grams / 1000).toFixed(2)} kg</b> shipped on ${m.day}</p>
      <${PdfLink} href=${`/v1/shipping/manifests.pdf${toQuery(chosen)}`} name=${`manifest-${m.carrier}-${m.day}.pdf`} class="button secondary s-pdf">Manifest (PDF)</${PdfLink}></div>
      ${m.items.length === 0
        ? html`<${Empty} title="Nothing shipped with this carrier that day." />`
        : html`<div class="table-wrap"><table>
          <thead><tr><th>Shipment</th><th>Order</th><th>Service</th><th>Tracking number</th><th class="num">Weight</th><th>Ships to</th><th>Status</th></tr></thead>
          <tbody>${m.items.map((s) => html`<tr>
            <td><${Link} to=${`/admin/shipments/${encodeURIComponent(s.id)}`}>${s.number}</${Link}></td>
            <td><${Link} to=${`/admin/orders/${encodeURIComponent(s.order_id)}`}>${s.order_number}</${Link}></td>
            <td>${s.service_name}</td><td>${s.tracking_number || "—"}</td>
            <td class="num">${(s.weight_grams / 1000).toFixed(2)} kg</td><td>${addressLine(s.ship_to)}</td><td><${Status} status=${s.status} /></td>
          </tr>`)}</tbody></table></div>`}`}
  </${Page}>`;
}
