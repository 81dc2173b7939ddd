// Products as their sellers see them: a merchant its own (every status), an admin every
// merchant's; a new product with its first variant; a product's details, status, pictures
// and prices.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { signedIn, roles } from "mercato/lib/credentials.js";
import { money, words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Pictures } from "./admin_pictures.js";

const STATUSES = ["", "active", "draft", "archived"];

/** Whose products this person manages: their merchant's, or (an admin) anyone's. */
function scope() {
  return roles().includes("admin") ? "" : signedIn()?.user?.merchant_id || "";
}

export function AdminProducts({ query }) {
  const chosen = { status: query.get("status") || "", q: query.get("q") || "", merchant: scope() || query.get("merchant") || "" };
  const products = useLoad(() => api("GET", `/v1/products${toQuery({ ...chosen, limit: 50 })}`), [toQuery(chosen)]);
  const set = (name, value) => navigate(`/admin/products${toQuery({ ...chosen, merchant: scope() ? "" : chosen.merchant, [name]: value })}`);
  return html`<${Page} title="Products" actions=${html`<${Link} to="/admin/products/new" class="button primary" style="text-decoration:none">New product</${Link}>`}>
    <div class="inline-form panel">
      <${Field} label="Status" as="select" value=${chosen.status} onChange=${(e) => set("status", e.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s ? words(s) : "Active (default)"}</option>`)}
      </${Field}>
      ${scope() ? html`<p class="muted">Products of ${scope()}</p>` : ""}
    </div>
    ${products.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${products.problem} onRetry=${products.reload} />
    ${products.data && products.data.items.length === 0 && html`<${Empty} title="No product here yet." />`}
    ${products.data && products.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Product</th><th>Merchant</th><th>Status</th><th class="num">Variants</th><th class="num">Price</th></tr></thead>
      <tbody>${products.data.items.map((p) => html`<tr><td><${Link} to=${`/admin/products/${p.id}`}>${p.name}</${Link}></td>
        <td>${p.merchant_id || "—"}</td><td><${Badge} status=${p.status} /></td><td class="num">${p.variants.length}</td>
        <td class="num">${money(p.price, p.currency)}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function NewProduct() {
  const [form, setForm] = useState({ name: "", description: "", status: "draft", requires_shipping: true, sku: "", title: "", price: "" });
  const [problem, setProblem] = useState(null);
  const bind = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });
  const create = async () => {
    setProblem(null);
    try {
      const made = await api("POST", "/v1/products", {
        body: {
          name: form.name,
          description: form.description,
          status: form.status,
          requires_shipping: form.requires_shipping,
          variants: [{ sku: form.sku, title: form.title, price: form.price }],
        },
      });
      navigate(`/admin/products/${made.id}`, { replace: true });
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<${Page} title="New product">
    <div class="panel narrow-wide">
      <${ProblemBox} problem=${problem && problem.code !== "validation_failed" ? problem : null} />
      <${Field} label="Name" error=${errors.name} ...${bind("name")} />
      <${Field} label="Description" error=${errors.description} ...${bind("description")} />
      <${Field} label="Status" as="select" value=${form.status} onChange=${(e) => setForm({ ...form, status: e.currentTarget.value })}>
        <option value="draft">Draft (not in the shop)</option><option value="active">Active</option>
      </${Field}>
      <label class="check"><input type="checkbox" checked=${form.requires_shipping}
        onChange=${(e) => setForm({ ...form, requires_shipping: e.currentTarget.checked })} /> Ships to the customer</label>
      <h2>First variant</h2>
      <div class="fields">
        <${Field} label="SKU" error=${errors["variants.0.sku"]} ...${bind("sku")} />
        <${Field} label="Variant title" error=${errors["variants.0.title"]} ...${bind("title")} />
        <${Field} label="Price" inputmode="decimal" error=${errors["variants.0.price"]} ...${bind("price")} />
      </div>
      <${Action} onClick=${create} busyLabel="Creating…">Create product</${Action}>
    </div>
  </${Page}>`;
}

/** A product's attributes (brand, material, …: what the shop's filters offer), as rows of
 * name and value kept in order while they are edited; a row without a name is dropped, and a
 * name given twice keeps its last value, when the product is saved. */
function Attributes({ rows, errors, onChange }) {
  const [draft, setDraft] = useState(["", ""]);
  const change = (i, part) => (e) =>
    onChange(rows.map((row, j) => (j === i ? (part === 0 ? [e.currentTarget.value, row[1]] : [row[0], e.currentTarget.value]) : row)));
  const add = () => {
    if (!draft[0].trim() || !draft[1].trim()) return;
    onChange([...rows, [draft[0].trim(), draft[1].trim()]]);
    setDraft(["", ""]);
  };
  return html`<fieldset class="plain"><legend><b>Attributes</b></legend>
    ${rows.map(([name, value], i) => html`<div class="fields">
      <${Field} label=${`Attribute ${i + 1}`} value=${name} onInput=${change(i, 0)} />
      <${Field} label=${`Value of attribute ${i + 1}`} value=${value} error=${errors[`attributes.${name}`]} onInput=${change(i, 1)} /></div>`)}
    <div class="fields">
      <${Field} label="New attribute" value=${draft[0]} onInput=${(e) => setDraft([e.currentTarget.value, draft[1]])} />
      <${Field} label="Its value" value=${draft[1]} onInput=${(e) => setDraft([draft[0], e.currentTarget.value])} />
    </div>
    <button class="link-button" onClick=${add}>Add the attribute</button>
  </fieldset>`;
}

export function AdminProduct({ params }) {
  const product = useLoad(() => api("GET", `/v1/products/${encodeURIComponent(params.id)}`), [params.id]);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState("");
  const [edits, setEdits] = useState({});
  const [attributes, setAttributes] = useState(null); // rows being edited; null: unchanged
  const [prices, setPrices] = useState({});
  if (product.loading && !product.data) return html`<${Page} title="Product"><${Loading} /></${Page}>`;
  if (product.problem) return html`<${Page} title="Product"><${ProblemBox} problem=${product.problem} />
    <${Link} to="/admin/products">All products</${Link}></${Page}>`;
  const p = product.data;
  const value = (name) => (name in edits ? edits[name] : p[name]);
  const run = (label, fn) => async () => {
    setProblem(null);
    setSaved("");
    try {
      await fn();
      await product.reload();
      setSaved(label);
    } catch (e) {
      setProblem(e);
    }
  };
  const save = run("Saved.", async () => {
    const body = { ...edits };
    if (attributes !== null) {
      body.attributes = Object.fromEntries(attributes.filter(([name]) => name.trim() !== "").map(([n, v]) => [n.trim(), v]));
    }
    await api("PATCH", `/v1/products/${p.id}`, { body });
    setEdits({});
    setAttributes(null);
  });
  const status = (next) => run(`Now ${next}.`, () => api("PATCH", `/v1/products/${p.id}`, { body: { status: next } }));
  const price = (variant) => run(`Price of ${variant.sku} saved.`, () => api("PATCH", `/v1/products/${p.id}/variants/${variant.id}`, { body: { price: prices[variant.id] } }));
  const errors = problem?.fields ? problem.fields() : {};
  return html`<${Page} title=${p.name} actions=${html`<${Badge} status=${p.status} />`}>
    <${ProblemBox} problem=${problem} />
    ${saved && html`<p class="notice" role="status">${saved}</p>`}
    <div class="row">
      <div class="grow panel">
        <${Field} label="Name" value=${value("name")} error=${errors.name} onInput=${(e) => setEdits({ ...edits, name: e.currentTarget.value })} />
        <${Field} label="Description" value=${value("description")} error=${errors.description} onInput=${(e) => setEdits({ ...edits, description: e.currentTarget.value })} />
        <${Attributes} rows=${attributes ?? Object.entries(p.attributes || {})} errors=${errors} onChange=${setAttributes} />
        <${Action} onClick=${save} disabled=${Object.keys(edits).length === 0 && attributes === null}>Save changes</${Action}>
      </div>
      <aside class="side panel"><h2>Status</h2>
        <p class="muted">Drafts and archived products are not in the shop.</p>
        <div class="inline-form">
          ${p.status !== "active" && html`<${Action} kind="secondary" onClick=${status("active")}>Activate</${Action}>`}
          ${p.status !== "archived" && html`<${Action} kind="danger" onClick=${status("archived")}>Archive</${Action}>`}
        </div>
        <p class="muted">Merchant: ${p.merchant_id || "—"}</p>
      </aside>
    </div>
    <${Pictures} product=${p} onChanged=${async (label) => { await product.reload(); setSaved(label); }} />
    <h2>Variants and prices</h2>
    <div class="table-wrap"><table><thead><tr><th>SKU</th><th>Title</th><th class="num">Available</th><th>Price</th></tr></thead>
      <tbody>${p.variants.map((v) => html`<tr><td>${v.sku}</td><td>${v.title}</td><td class="num">${v.available}</td>
        <td><div class="inline-form"><${Field} label=${`Price of ${v.sku}`} inputmode="decimal" value=${prices[v.id] ?? v.price}
          onInput=${(e) => setPrices({ ...prices, [v.id]: e.currentTarget.value })} />
          <${Action} kind="secondary" onClick=${price(v)} aria-label=${`Save the price of ${v.sku}`}>Save</${Action}></div></td></tr>`)}</tbody></table></div>
  </${Page}>`;
}
