// The store's shipping set-up (admins): carriers and each of their services switched on or
// off for rate shopping, zones (countries, regions, postal ranges), each zone's rate tables
// (weight brackets and what they cost), and the address each location ships from.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { money } from "mercato/lib/format.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Tabs, addressLine } from "./parts.js";

const list = (text) => text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

/** A switch (a checkbox with the switch role) saved as it is flipped. */
function Switch({ label, on, onFlip, detail }) {
  const [wanted, setWanted] = useState(null); // shown at once, while it is saved
  const flip = async () => {
    setWanted(!on);
    try {
      await onFlip(!on);
    } finally {
      setWanted(null);
    }
  };
  const busy = wanted !== null;
  return html`<label class="s-switch"><input type="checkbox" role="switch" checked=${busy ? wanted : on} disabled=${busy} onChange=${flip} />
    <span>${label}</span>${detail && html` <span class="muted">${detail}</span>`}</label>`;
}

function Carriers() {
  const carriers = useLoad(() => api("GET", "/v1/shipping/carriers"), []);
  const [problem, setProblem] = useState(null);
  const patch = (code, body) => async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/shipping/carriers/${encodeURIComponent(code)}`, { body });
      await carriers.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<section class="panel" aria-labelledby="s-carriers"><h2 id="s-carriers">Carriers</h2>
    <p class="hint">Rate shopping asks the carriers and services switched on; a table carrier prices from the rate tables below.</p>
    ${carriers.loading && !carriers.data && html`<${Loading} />`}
    <${ProblemBox} problem=${carriers.problem || problem} onRetry=${carriers.problem ? carriers.reload : undefined} />
    ${carriers.data && html`<ul class="s-carriers">${carriers.data.items.map((c) => {
      const off = c.services.filter((s) => !s.enabled).map((s) => s.code);
      return html`<li class="s-carrier">
        <${Switch} label=${c.name} on=${c.enabled} detail=${c.kind === "table" ? "(rate tables)" : "(carrier's API)"}
          onFlip=${(on) => patch(c.code, { enabled: on })()} />
        <ul class="s-services">${c.services.map((s) => html`<li><${Switch} label=${`${c.name} ${s.name}`} on=${s.enabled && c.enabled}
          onFlip=${(on) => patch(c.code, { disabled_services: on ? off.filter((x) => x !== s.code) : [...off, s.code] })()} /></li>`)}</ul>
      </li>`;
    })}</ul>`}
  </section>`;
}

const NEW_ZONE = { code: "", name: "", countries: "", regions: "", postal_ranges: "", position: "0" };

function zoneForm(zone) {
  return {
    code: zone.code,
    name: zone.name,
    countries: zone.countries.join(", "),
    regions: zone.regions.join(", "),
    postal_ranges: zone.postal_ranges.map(([a, b]) => `${a}-${b}`).join("\n"),
    position: String(zone.position),
  };
}

function ZoneEditor({ zone, onSaved, onCancel }) {
  const [v, setV] = useState(zone ? zoneForm(zone) : NEW_ZONE);
  const [problem, setProblem] = useState(null);
  const errors = problem?.fields ? problem.fields() : {};
  const bind = (name) => ({ value: v[name], error: errors[name], onInput: (e) => setV({ ...v, [name]: e.currentTarget.value }) });
  const save = async () => {
    setProblem(null);
    const ranges = v.postal_ranges.split("\n").map((r) => r.trim()).filter(Boolean).map((r) => {
      const [a, b] = r.split(/\s*[-–]\s*|\s+to\s+/);
      return [a, b || a];
    });
    const body = { name: v.name, countries: list(v.countries.toUpperCase()), regions: list(v.regions.toUpperCase()),
      postal_ranges: ranges, position: Number(v.position) || 0 };
    try {
      const saved = zone
        ? await api("PATCH", `/v1/shipping/zones/${encodeURIComponent(zone.id)}`, { body })
        : await api("POST", "/v1/shipping/zones", { body: { ...body, code: v.code } });
      onSaved(saved);
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<fieldset class="s-editor"><legend><h3>${zone ? `Edit zone ${zone.name}` : "New zone"}</h3></legend>
    <div class="fields">
      ${!zone && html`<${Field} label="Code" ...${bind("code")} hint="Lower case, digits, - and _: eu-north" />`}
      <${Field} label="Zone name" ...${bind("name")} />
      <${Field} label="Position" type="number" min="0" ...${bind("position")} hint="Lower is tried first" />
    </div>
    <${Field} label="Countries" ...${bind("countries")} hint="Two-letter codes, comma separated: DE, FR, IT" />
    <${Field} label="Regions" ...${bind("regions")} hint="Country and region: US-NY, US-NJ, CA-QC" />
    <div class=${errors.postal_ranges ? "field invalid" : "field"}>
      <label for="s-ranges">Postal code ranges</label>
      <textarea id="s-ranges" rows="3" aria-describedby="s-ranges-hint" value=${v.postal_ranges}
        onInput=${(e) => setV({ ...v, postal_ranges: e.currentTarget.value })}></textarea>
      <p class="hint" id="s-ranges-hint">One range a line, first and last code: 10000-14999</p>
    </div>
    <${ProblemBox} problem=${problem} />
    <div class="inline-form"><${Action} onClick=${save}>${zone ? "Save zone" : "Create zone"}</${Action}>
      <button type="button" class="button secondary" onClick=${onCancel}>Close</button></div>
  </fieldset>`;
}

function Zones({ zones, onChange }) {
  const [editing, setEditing] = useState(null); // a zone, "new", or null
  const [problem, setProblem] = useState(null);
  const [doomed, setDoomed] = useState(null); // the zone whose deletion waits for a yes
  const remove = (zone) => async () => {
    setProblem(null);
    try {
      await api("DELETE", `/v1/shipping/zones/${encodeURIComponent(zone.id)}`);
      setDoomed(null);
      await onChange();
    } catch (p) {
      setProblem(p);
    }
  };
  const items = zones.data?.items || [];
  return html`<section class="panel" aria-labelledby="s-zones"><h2 id="s-zones">Zones</h2>
    <p class="hint">The most specific zone holding an address prices it: a postal range, then a region, then a country.</p>
    <${ProblemBox} problem=${zones.problem || problem} />
    ${items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Zone</th><th>Countries</th><th>Regions</th><th>Postal ranges</th><th class="num">Position</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${items.map((z) => html`<tr>
        <td><b>${z.name}</b><div class="muted">${z.code}</div></td><td>${z.countries.join(", ") || "—"}</td>
        <td>${z.regions.join(", ") || "—"}</td><td>${z.postal_ranges.map(([a, b]) => `${a}–${b}`).join(", ") || "—"}</td>
        <td class="num">${z.position}</td>
        <td><div class="s-row-actions"><button type="button" class="link-button" onClick=${() => setEditing(z)} aria-label=${`Edit zone ${z.name}`}>Edit</button>
          ${doomed === z.id
            ? html`<span class="s-confirm">Delete ${z.name} and its rate tables?
                <${Action} kind="danger" class="button danger s-small" onClick=${remove(z)}>Yes, delete</${Action}>
                <button type="button" class="link-button" onClick=${() => setDoomed(null)}>Keep it</button></span>`
            : html`<button type="button" class="button danger s-small" onClick=${() => setDoomed(z.id)}
                aria-label=${`Delete zone ${z.name}`}>Delete</button>`}</div></td>
      </tr>`)}</tbody></table></div>`}
    ${zones.data && items.length === 0 && html`<${Empty} title="No zone yet: every address gets the store's standard shipping." />`}
    ${editing
      ? html`<${ZoneEditor} key=${editing === "new" ? "new" : editing.id} zone=${editing === "new" ? null : editing}
          onCancel=${() => setEditing(null)} onSaved=${async () => { setEditing(null); await onChange(); }} />`
      : html`<p><button type="button" class="button secondary" onClick=${() => setEditing("new")}>New zone</button></p>`}
  </section>`;
}

/** One rate table's brackets (up to a weight: a price), per kg beyond, days, free from. */
function TableEditor({ table, zone, onSaved, onCancel }) {
  const [v, setV] = useState(() => ({
    carrier: table?.carrier || "post", carrier_name: table?.carrier_name || "Parcel Post",
    service: table?.service || "", service_name: table?.service_name || "", currency: table?.currency || "USD",
    per_kg_over: table ? String(table.per_kg_over) : "0", free_over: table?.free_over ?? "",
    days_min: String(table?.days_min ?? 2), days_max: String(table?.days_max ?? 5),
    brackets: (table?.brackets || [{ up_to_grams: 1000, price: "5.00" }]).map((b) => ({ up_to_grams: String(b.up_to_grams), price: String(b.price) })),
  }));
  const [problem, setProblem] = useState(null);
  const errors = problem?.fields ? problem.fields() : {};
  const bind = (name) => ({ value: v[name], error: errors[name], onInput: (e) => setV({ ...v, [name]: e.currentTarget.value }) });
  const setBracket = (i, name, value) => setV({ ...v, brackets: v.brackets.map((b, j) => (j === i ? { ...b, [name]: value } : b)) });
  const save = async () => {
    setProblem(null);
    const body = {
      carrier_name: v.carrier_name, service_name: v.service_name, zone_id: zone.id,
      brackets: v.brackets.filter((b) => b.up_to_grams !== "" || b.price !== "").map((b) => ({ up_to_grams: Number(b.up_to_grams), price: b.price })),
      per_kg_over: v.per_kg_over || "0", free_over: v.free_over === "" ? null : v.free_over,
      days_min: Number(v.days_min), days_max: Number(v.days_max),
    };
    try {
      const saved = table
        ? await api("PATCH", `/v1/shipping/rate-tables/${encodeURIComponent(table.id)}`, { body })
        : await api("POST", "/v1/shipping/rate-tables", { body: { ...body, carrier: v.carrier, service: v.service, currency: v.currency } });
      onSaved(saved);
    } catch (p) {
      setProblem(p);
    }
  };
  const what = table ? `${table.carrier_name} ${table.service_name}` : "a new service";
  return html`<fieldset class="s-editor"><legend><h3>${table ? `Rates of ${what} to ${zone.name}` : `New rate table for ${zone.name}`}</h3></legend>
    <div class="fields">
      ${!table && html`<${Field} label="Carrier code" ...${bind("carrier")} hint="post, or your own" />`}
      <${Field} label="Carrier name" ...${bind("carrier_name")} />
      ${!table && html`<${Field} label="Service code" ...${bind("service")} hint="ground, priority…" />`}
      <${Field} label="Service name" ...${bind("service_name")} />
      ${!table && html`<${Field} label="Currency" ...${bind("currency")} maxlength="3" />`}
    </div>
    <table class="s-brackets"><caption>Weight brackets</caption>
      <thead><tr><th scope="col">Up to (grams)</th><th scope="col">Price</th><th><span class="visually-hidden">Remove</span></th></tr></thead>
      <tbody>${v.brackets.map((b, i) => html`<tr>
        <td><input type="number" min="1" inputmode="numeric" aria-label=${`Bracket ${i + 1}: up to grams`} value=${b.up_to_grams}
          onInput=${(e) => setBracket(i, "up_to_grams", e.currentTarget.value)} /></td>
        <td><input inputmode="decimal" aria-label=${`Bracket ${i + 1}: price`} value=${b.price}
          onInput=${(e) => setBracket(i, "price", e.currentTarget.value)} /></td>
        <td><button type="button" class="link-button" disabled=${v.brackets.length === 1} aria-label=${`Remove bracket ${i + 1}`}
          onClick=${() => setV({ ...v, brackets: v.brackets.filter((_, j) => j !== i) })}>Remove</button></td>
      </tr>`)}</tbody></table>
    <p><button type="button" class="link-button" onClick=${() => setV({ ...v, brackets: [...v.brackets, { up_to_grams: "", price: "" }] })}>Add a bracket</button></p>
    <div class="fields">
      <${Field} label="Per kg beyond the last bracket" inputmode="decimal" ...${bind("per_kg_over")} />
      <${Field} label="Free from an order of" inputmode="decimal" ...${bind("free_over")} hint="Empty: never free" />
      <${Field} label="Fastest (business days)" type="number" min="0" ...${bind("days_min")} />
      <${Field} label="Slowest (business days)" type="number" min="0" ...${bind("days_max")} />
    </div>
    <${ProblemBox} problem=${problem} />
    <div class="inline-form"><${Action} onClick=${save}>${table ? "Save rates" : "Create rate table"}</${Action}>
      <button type="button" class="button secondary" onClick=${onCancel}>Close</button></div>
  </fieldset>`;
}

function RateTables({ zones }) {
  const items = zones.data?.items || [];
  const [zoneId, setZoneId] = useState("");
  const [editing, setEditing] = useState(null);
  const [problem, setProblem] = useState(null);
  const tables = useLoad(() => api("GET", "/v1/shipping/rate-tables?limit=200"), []);
  const zone = items.find((z) => z.id === zoneId) || items[0];
  if (!zone) return null;
  const mine = (tables.data?.items || []).filter((t) => t.zone_id === zone.id);
  const toggle = (t) => async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/shipping/rate-tables/${encodeURIComponent(t.id)}`, { body: { active: !t.active } });
      await tables.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<section class="panel" aria-labelledby="s-tables"><h2 id="s-tables">Rate tables</h2>
    <${Field} label="Zone" as="select" value=${zone.id} onChange=${(e) => { setZoneId(e.currentTarget.value); setEditing(null); }}>
      ${items.map((z) => html`<option value=${z.id}>${z.name}</option>`)}
    </${Field}>
    <${ProblemBox} problem=${tables.problem || problem} />
    ${tables.data && mine.length === 0 && html`<p class="muted">No rate table for ${zone.name} yet.</p>`}
    ${mine.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Service</th><th>Brackets</th><th>Beyond</th><th>Days</th><th>Free from</th><th>Active</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${mine.map((t) => html`<tr>
        <td><b>${t.carrier_name} ${t.service_name}</b><div class="muted">${t.carrier} / ${t.service}</div></td>
        <td><ul class="s-bracket-list">${t.brackets.map((b) => html`<li>up to ${(b.up_to_grams / 1000).toLocaleString()} kg: ${money(b.price, t.currency)}</li>`)}</ul></td>
        <td>${money(t.per_kg_over, t.currency)} / kg</td><td>${t.days_min}–${t.days_max}</td>
        <td>${t.free_over ? money(t.free_over, t.currency) : "—"}</td>
        <td><button type="button" class="link-button" onClick=${toggle(t)} aria-label=${`${t.active ? "Switch off" : "Switch on"} ${t.carrier_name} ${t.service_name} to ${zone.name}`}>${t.active ? "On" : "Off"}</button></td>
        <td><button type="button" class="link-button" onClick=${() => setEditing(t)} aria-label=${`Edit the rates of ${t.carrier_name} ${t.service_name} to ${zone.name}`}>Edit rates</button></td>
      </tr>`)}</tbody></table></div>`}
    ${editing
      ? html`<${TableEditor} key=${editing === "new" ? `new-${zone.id}` : editing.id} table=${editing === "new" ? null : editing} zone=${zone}
          onCancel=${() => setEditing(null)} onSaved=${async () => { setEditing(null); await tables.reload(); }} />`
      : html`<p><button type="button" class="button secondary" onClick=${() => setEditing("new")}>New rate table for ${zone.name}</button></p>`}
  </section>`;
}

const ORIGIN = { name: "", line1: "", line2: "", city: "", region: "", postal_code: "", country: "US", phone: "" };

function Origin({ location, address, onSaved }) {
  const [v, setV] = useState({ ...ORIGIN, ...Object.fromEntries(Object.entries(address || {}).filter(([, x]) => x !== null)) });
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(false);
  const errors = problem?.fields ? problem.fields() : {};
  const bind = (name, label, more = {}) => html`<${Field} label=${label} value=${v[name]} error=${errors[name]}
    onInput=${(e) => { setSaved(false); setV({ ...v, [name]: e.currentTarget.value }); }} ...${more} />`;
  const save = async () => {
    setProblem(null);
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => String(x).trim() !== ""));
    try {
      await api("PUT", `/v1/shipping/origins/${encodeURIComponent(location.id)}`, { body });
      setSaved(true);
      onSaved();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<details class="s-origin" open=${!address}><summary><b>${location.name}</b>
      <span class="muted"> ${address ? addressLine(address) : "no address yet: it cannot ship"}</span></summary>
    <div class="fields">
      ${bind("name", `Sender name for ${location.name}`)}
      ${bind("line1", "Street address")}
      ${bind("line2", "Address line 2 (optional)")}
      ${bind("city", "City")}
      ${bind("region", "State or region code", { maxlength: 8 })}
      ${bind("postal_code", "Postal code")}
      ${bind("country", "Country code", { maxlength: 2 })}
      ${bind("phone", "Phone (optional)", { type: "tel" })}
    </div>
    <${ProblemBox} problem=${problem} />
    <div class="inline-form"><${Action} kind="secondary" onClick=${save}>Save the address of ${location.name}</${Action}>
      ${saved && html`<span role="status" class="s-saved">Saved.</span>`}</div>
  </details>`;
}

function Origins() {
  const locations = useLoad(() => api("GET", "/v1/inventory/locations"), []);
  const origins = useLoad(() => api("GET", "/v1/shipping/origins"), []);
  const of = Object.fromEntries((origins.data?.items || []).map((o) => [o.location_id, o.address]));
  return html`<section class="panel" aria-labelledby="s-origins"><h2 id="s-origins">Ship-from addresses</h2>
    <p class="hint">Where each location ships from: printed on labels, and used to price rates and find the nearest location.</p>
    ${(locations.loading || origins.loading) && !origins.data && html`<${Loading} />`}
    <${ProblemBox} problem=${locations.problem || origins.problem} />
    ${locations.data && origins.data && locations.data.items.map((l) => html`<${Origin} key=${l.id} location=${l} address=${of[l.id]} onSaved=${origins.reload} />`)}
  </section>`;
}

export function SettingsPage() {
  const zones = useLoad(() => api("GET", "/v1/shipping/zones?limit=200"), []);
  if (!roles().includes("admin")) {
    return html`<${Page} title="Shipping settings"><${Tabs} current="/admin/shipping/settings" />
      <${Empty} title="Only the store's admins change the shipping set-up." /></${Page}>`;
  }
  return html`<${Page} title="Shipping settings" wide>
    <${Tabs} current="/admin/shipping/settings" />
    <div class="row">
      <div class="grow"><${Carriers} /><${Origins} /></div>
      <div class="grow s-wide"><${Zones} zones=${zones} onChange=${zones.reload} /><${RateTables} zones=${zones} /></div>
    </div>
  </${Page}>`;
}
