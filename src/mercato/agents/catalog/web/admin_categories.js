// The category tree (admins): each category with its place (parent, position), renamed or
// moved in place, a new one added under any other, an empty one deleted.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

function flatten(categories, depth = 0, out = []) {
  for (const c of categories) {
    out.push({ ...c, depth });
    flatten(c.children || [], depth + 1, out);
  }
  return out;
}

export function Categories() {
  const tree = useLoad(() => api("GET", "/v1/categories?limit=500"), []);
  const [problem, setProblem] = useState(null);
  const [form, setForm] = useState({ name: "", parent_id: "" });
  const [editing, setEditing] = useState(null);
  const all = flatten(tree.data?.items || []);
  const run = (fn) => async () => {
    setProblem(null);
    try {
      await fn();
      await tree.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const add = run(async () => {
    await api("POST", "/v1/categories", { body: { name: form.name.trim(), parent_id: form.parent_id || null } });
    setForm({ ...form, name: "" });
  });
  const save = run(async () => {
    await api("PATCH", `/v1/categories/${editing.id}`, {
      body: { name: editing.name, parent_id: editing.parent_id || null, position: Number(editing.position) },
    });
    setEditing(null);
  });
  const remove = (c) => run(() => api("DELETE", `/v1/categories/${c.id}`));
  const parents = (except) => all.filter((c) => !except || c.id !== except.id);
  return html`<${Page} title="Categories">
    <div class="panel inline-form">
      <${Field} label="New category" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.currentTarget.value })} />
      <${Field} label="Under" as="select" value=${form.parent_id} onChange=${(e) => setForm({ ...form, parent_id: e.currentTarget.value })}>
        <option value="">(the top)</option>
        ${all.map((c) => html`<option value=${c.id}>${"\u2003".repeat(c.depth)}${c.name}</option>`)}
      </${Field}>
      <${Action} onClick=${add}>Add</${Action}>
    </div>
    <${ProblemBox} problem=${problem || tree.problem} />
    ${tree.loading && html`<${Loading} />`}
    ${tree.data && html`<div class="table-wrap"><table><thead><tr><th>Category</th><th>Slug</th><th class="num">Position</th><th></th></tr></thead>
      <tbody>${all.map((c) => editing?.id === c.id ? html`<tr><td colspan="4"><div class="inline-form">
          <${Field} label="Name" value=${editing.name} onInput=${(e) => setEditing({ ...editing, name: e.currentTarget.value })} />
          <${Field} label="Parent" as="select" value=${editing.parent_id || ""} onChange=${(e) => setEditing({ ...editing, parent_id: e.currentTarget.value })}>
            <option value="">(the top)</option>
            ${parents(c).map((p) => html`<option value=${p.id}>${"\u2003".repeat(p.depth)}${p.name}</option>`)}
          </${Field}>
          <${Field} label="Position" type="number" min="0" value=${editing.position} onInput=${(e) => setEditing({ ...editing, position: e.currentTarget.value })} />
          <${Action} onClick=${save}>Save</${Action}>
          <button class="link-button" onClick=${() => setEditing(null)}>Cancel</button></div></td></tr>`
        : html`<tr><td style=${`padding-left:${10 + c.depth * 22}px`}>${c.name}</td><td><code>${c.slug}</code></td><td class="num">${c.position}</td>
          <td><button class="link-button" onClick=${() => setEditing({ ...c })} aria-label=${`Edit ${c.name}`}>Edit</button>
            ${(c.children || []).length === 0 && html` · <button class="link-button" onClick=${remove(c)} aria-label=${`Delete ${c.name}`}>Delete</button>`}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
