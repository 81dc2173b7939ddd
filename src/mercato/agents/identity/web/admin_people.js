// People and keys (admins): accounts with their roles and status (a change takes effect at
// once: the API checks each token against the account), new staff accounts, and API keys
// (the key is shown once, when it is made).
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { day, when, words } from "mercato/lib/format.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const ROLES = ["customer", "merchant", "support", "admin"];

export function Users({ query }) {
  const email = query.get("email") || "";
  const users = useLoad(() => api("GET", `/v1/admin/users${toQuery({ email, limit: 200 })}`), [email]);
  const [problem, setProblem] = useState(null);
  const [form, setForm] = useState({ email: "", full_name: "", password: "", role: "support", merchant_id: "" });
  const bind = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });
  const change = (user, body) => async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/admin/users/${user.id}`, { body });
      await users.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const create = async () => {
    setProblem(null);
    try {
      await api("POST", "/v1/admin/users", {
        body: { email: form.email, full_name: form.full_name, password: form.password, roles: [form.role], merchant_id: form.merchant_id || null },
      });
      setForm({ ...form, email: "", full_name: "", password: "" });
      await users.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<${Page} title="People">
    <${ProblemBox} problem=${problem} />
    ${users.loading && html`<${Loading} />`}
    ${users.data && users.data.items.length === 0 && html`<${Empty} title="Nobody yet." />`}
    ${users.data && users.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Name</th><th>Email</th><th>Roles</th><th>Status</th><th>Since</th><th></th></tr></thead>
      <tbody>${users.data.items.map((u) => html`<tr><td>${u.full_name}</td><td>${u.email}</td>
        <td>${u.roles.map(words).join(", ")}${u.merchant_id ? html`<div class="muted">${u.merchant_id}</div>` : ""}</td>
        <td><${Badge} status=${u.status} /></td><td>${day(u.created_at)}</td>
        <td><${Action} kind=${u.status === "active" ? "danger" : "secondary"}
          onClick=${change(u, { status: u.status === "active" ? "disabled" : "active" })}
          aria-label=${`${u.status === "active" ? "Disable" : "Enable"} ${u.email}`}>${u.status === "active" ? "Disable" : "Enable"}</${Action}></td></tr>`)}</tbody></table></div>`}
    <div class="panel" style="margin-top:16px"><h2>New staff account</h2><div class="fields">
      <${Field} label="Full name" error=${errors.full_name} ...${bind("full_name")} />
      <${Field} label="Email" type="email" error=${errors.email} ...${bind("email")} />
      <${Field} label="Password" type="password" autocomplete="new-password" error=${errors.password} ...${bind("password")} />
      <${Field} label="Role" as="select" value=${form.role} onChange=${(e) => setForm({ ...form, role: e.currentTarget.value })}>
        ${ROLES.filter((r) => r !== "customer").map((r) => html`<option value=${r}>${words(r)}</option>`)}</${Field}>
      ${form.role === "merchant" && html`<${Field} label="Merchant id" error=${errors.merchant_id} ...${bind("merchant_id")} />`}
    </div><${Action} onClick=${create}>Create account</${Action}></div>
  </${Page}>`;
}

export function ApiKeys() {
  const keys = useLoad(() => api("GET", "/v1/admin/api-keys?limit=200"), []);
  const [form, setForm] = useState({ name: "", role: "system" });
  const [made, setMade] = useState(null);
  const [problem, setProblem] = useState(null);
  const create = async () => {
    setProblem(null);
    try {
      setMade(await api("POST", "/v1/admin/api-keys", { body: { name: form.name, roles: [form.role] } }));
      setForm({ ...form, name: "" });
      await keys.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const revoke = (key) => async () => {
    setProblem(null);
    try {
      await api("DELETE", `/v1/admin/api-keys/${key.id}`);
      await keys.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="API keys">
    <div class="panel"><div class="inline-form">
      <${Field} label="Name" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />
      <${Field} label="Role" as="select" value=${form.role} onChange=${(e) => setForm({ ...form, role: e.currentTarget.value })}>
        ${["system", "support", "admin"].map((r) => html`<option value=${r}>${words(r)}</option>`)}</${Field}>
      <${Action} onClick=${create}>Make a key</${Action}></div>
      ${made && html`<p class="notice" role="status">The key for ${made.name}, shown this once: <code>${made.key}</code></p>`}
    </div>
    <${ProblemBox} problem=${problem || keys.problem} />
    ${keys.loading && html`<${Loading} />`}
    ${keys.data && keys.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Name</th><th>Starts with</th><th>Roles</th><th>Last used</th><th></th></tr></thead>
      <tbody>${keys.data.items.map((k) => html`<tr><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${k.roles.join(", ")}</td>
        <td>${k.last_used_at ? when(k.last_used_at) : "never"}</td>
        <td>${k.revoked_at ? html`<span class="muted">revoked ${day(k.revoked_at)}</span>` : html`<${Action} kind="danger" onClick=${revoke(k)} aria-label=${`Revoke ${k.name}`}>Revoke</${Action}>`}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
