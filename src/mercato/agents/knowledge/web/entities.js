// Entities: the diagram of all of them, and one entity's fields (type, required,
// validations, an example), relationships, rules and edge cases.
import { html } from "preact-htm";
import { Link } from "mercato/lib/router.js";
import { words } from "mercato/lib/format.js";
import { Badge, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { allEntities } from "./catalog.js";
import { EntityDiagram } from "./diagram.js";

export function Overview() {
  const entities = useLoad(allEntities, []);
  return html`<${Page} title="Domain explorer">
    <p class="muted">The store's domain as Mercato enforces it: ${entities.data ? `${entities.data.length} entities` : "entities"},
      their relationships, the workflows between them, the business rules and the edge cases, each tied to the code and tests behind it.</p>
    ${entities.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${entities.problem} onRetry=${entities.reload} />
    ${entities.data && html`<${EntityDiagram} entities=${entities.data} />
      <div class="table-wrap"><table><thead><tr><th>Entity</th><th>Category</th><th>Agent</th><th class="num">Fields</th><th>Built</th></tr></thead>
      <tbody>${entities.data.map((e) => html`<tr><td><${Link} to=${`/explorer/entities/${e.name}`}>${e.name}</${Link}>
        <div class="muted">${e.description}</div></td><td>${words(e.category)}</td><td>${e.agent || "—"}</td>
        <td class="num">${e.field_count}</td><td>${e.implemented ? "yes" : html`<span class="muted">not yet</span>`}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function EntityPage({ params }) {
  const entities = useLoad(allEntities, []);
  if (entities.loading) return html`<${Page} title=${params.name}><${Loading} /></${Page}>`;
  if (entities.problem) return html`<${Page} title=${params.name}><${ProblemBox} problem=${entities.problem} onRetry=${entities.reload} /></${Page}>`;
  const entity = entities.data.find((e) => e.name === params.name);
  if (!entity) return html`<${Page} title=${params.name}><p>No entity is called “${params.name}”. <${Link} to="/explorer">All entities</${Link}></p></${Page}>`;
  return html`<${Page} title=${`Entity: ${entity.name}`}>
    <p>${entity.description} <span class="muted">· ${words(entity.category)} · owned by ${entity.agent || "no agent yet"}${entity.table ? ` · table ${entity.table}` : ""}</span></p>
    <${EntityDiagram} entities=${entities.data} focus=${entity.name} />
    <h2>Fields</h2>
    <div class="table-wrap"><table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Validations</th><th>Example</th></tr></thead>
      <tbody>${entity.fields.map((f) => html`<tr><td><code>${f.name}</code><div class="muted">${f.description}</div></td><td>${f.type}</td>
        <td>${f.required ? "yes" : "no"}</td><td>${(f.validations || []).join("; ")}</td>
        <td><code>${f.example === null || f.example === undefined ? "" : typeof f.example === "object" ? JSON.stringify(f.example) : String(f.example)}</code></td></tr>`)}</tbody></table></div>
    <h2 style="margin-top:16px">Relationships</h2>
    <ul>${entity.relationships.map((r) => html`<li>${words(r.type)} <${Link} to=${`/explorer/entities/${r.target}`}>${r.target}</${Link}>
      <span class="muted"> — ${r.description}</span></li>`)}</ul>
    <h2>Business rules</h2>
    ${entity.rules.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${entity.rules.map((r) => html`<li>${typeof r === "string" ? r : html`<b>${r.id}</b> ${r.constraint || r.name}`}</li>`)}</ul>`}
    <h2>Edge cases</h2>
    ${entity.edge_cases.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${entity.edge_cases.map((c) => html`<li>${typeof c === "string" ? c : html`<b>${c.id}</b> ${words(c.name)} ${c.status && html`<${Badge} status=${c.status} />`}`}</li>`)}</ul>`}
  </${Page}>`;
}
