// What prices a cart (staff): discount codes (made, switched off and on, with their use)
// and the tax rates per country and region.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { day, money } from "mercato/lib/format.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function DiscountCodes() {
  const codes = useLoad(() => api("GET", "/v1/discount-codes?limit=200"), []);
  const [form, setForm] = useState({ code: "", kind: "percent", value: "", min_subtotal: "", usage_limit: "", expires_at: "" });
  const [problem, setProblem] = useState(null);
  const bind = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });
  const create = async () => {
    setProblem(null);
    try {
      await api("POST", "/v1/discount-codes", {
        body: {
          code: form.code.trim(),
          kind: form.kind,
          value: form.value,
          min_subtotal: form.min_subtotal || null,
          usage_limit: form.usage_limit ? Number(form.usage_limit) : null,
          // the end of the chosen day, where the admin is (a date alone would be UTC's midnight)
          expires_at: form.expires_at ? new Date(`${form.expires_at}T23:59:59`).toISOString() : null,
        },
      });
      setForm({ ...form, code: "", value: "" });
      await codes.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const toggle = (code) => async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/discount-codes/${code.id}`, { body: { active: !code.active } });
      await codes.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<${Page} title="Discount codes">
    <div class="panel"><h2>New code</h2><div class="fields">
      <${Field} label="Code" error=${errors.code} ...${bind("code")} />
      <${Field} label="Kind" as="select" value=${form.kind} onChange=${(e) => setForm({ ...form, kind: e.currentTarget.value })}>
        <option value="percent">Percent off</option><option value="fixed">Amount off</option></${Field}>
      <${Field} label=${form.kind === "percent" ? "Percent" : "Amount"} inputmode="decimal" error=${errors.value} ...${bind("value")} />
      <${Field} label="Minimum subtotal (optional)" inputmode="decimal" error=${errors.min_subtotal} ...${bind("min_subtotal")} />
      <${Field} label="Uses at most (optional)" type="number" min="1" error=${errors.usage_limit} ...${bind("usage_limit")} />
      <${Field} label="Expires (optional)" type="date" error=${errors.expires_at} ...${bind("expires_at")} />
    </div><${Action} onClick=${create}>Create code</${Action}></div>
    <${ProblemBox} problem=${problem} />
    ${codes.loading && html`<${Loading} />`}
    ${codes.data && codes.data.items.length === 0 && html`<${Empty} title="No discount code yet." />`}
    ${codes.data && codes.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Code</th><th>Discount</th><th>Minimum</th><th>Used</th><th>Expires</th><th>Active</th></tr></thead>
      <tbody>${codes.data.items.map((c) => html`<tr><td><b>${c.code}</b></td>
        <td>${c.kind === "percent" ? `${Number(c.value)} %` : money(c.value, c.currency)}</td>
        <td>${c.min_subtotal ? money(c.min_subtotal, c.currency) : "—"}</td>
        <td>${c.times_used}${c.usage_limit ? ` of ${c.usage_limit}` : ""}</td><td>${c.expires_at ? day(c.expires_at) : "—"}</td>
        <td><button class="link-button" onClick=${toggle(c)} aria-label=${`${c.active ? "Switch off" : "Switch on"} ${c.code}`}>${c.active ? "On (switch off)" : "Off (switch on)"}</button></td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function TaxRates() {
  const rates = useLoad(() => api("GET", "/v1/tax-rates?limit=1000"), []);
  const [rows, setRows] = useState(null);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(false);
  const shown = rows ?? rates.data?.items ?? [];
  const edit = (i, name) => (e) => setRows(shown.map((r, j) => (j === i ? { ...r, [name]: e.currentTarget.value } : r)));
  const save = async () => {
    setProblem(null);
    setSaved(false);
    try {
      const body = shown
        .filter((r) => r.country)
        .map((r) => ({
          country: r.country.toUpperCase(),
          region: r.region ? r.region.toUpperCase() : null,
          rate_percent: r.rate_percent,
          ...(r.name && r.name.trim() ? { name: r.name.trim() } : {}),
        }));
      await api("PUT", "/v1/tax-rates", { body });
      setRows(null);
      await rates.reload();
      setSaved(true);
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="Tax rates">
    ${rates.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${rates.problem || problem} />
    ${saved && html`<p class="notice" role="status">Saved: carts are priced with these rates now.</p>`}
    ${rates.data && html`<div class="table-wrap"><table><thead><tr><th>Country</th><th>Region</th><th>Rate (%)</th><th>Name</th><th></th></tr></thead>
      <tbody>${shown.map((r, i) => html`<tr>
        <td><${Field} label=${`Country, row ${i + 1}`} value=${r.country} maxlength="2" onInput=${edit(i, "country")} /></td>
        <td><${Field} label=${`Region, row ${i + 1}`} value=${r.region || ""} onInput=${edit(i, "region")} /></td>
        <td><${Field} label=${`Rate, row ${i + 1}`} inputmode="decimal" value=${r.rate_percent} onInput=${edit(i, "rate_percent")} /></td>
        <td><${Field} label=${`Name, row ${i + 1}`} value=${r.name || ""} onInput=${edit(i, "name")} /></td>
        <td><button class="link-button" onClick=${() => setRows(shown.filter((_, j) => j !== i))}>Remove</button></td></tr>`)}</tbody></table></div>
      <p><button class="link-button" onClick=${() => setRows([...shown, { country: "", region: "", rate_percent: "", name: "" }])}>Add a rate</button></p>
      <${Action} onClick=${save}>Save every rate</${Action}>`}
  </${Page}>`;
}
