// Business rules: each with its condition, its constraint, the answer a breach gets, and the
// function that enforces it.
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Link } from "mercato/lib/router.js";
import { Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function Rules() {
  const rules = useLoad(() => api("GET", "/v1/knowledge/rules"), []);
  return html`<${Page} title="Business rules">
    ${rules.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${rules.problem} onRetry=${rules.reload} />
    ${rules.data && html`<div class="table-wrap"><table><thead><tr><th>Rule</th><th>Entity</th><th>When</th><th>Constraint</th><th>Breach answers</th><th>Enforced by</th></tr></thead>
      <tbody>${rules.data.items.map((r) => html`<tr id=${r.id}><td><b>${r.id}</b><div class="muted">${r.name}</div></td>
        <td><${Link} to=${`/explorer/entities/${r.entity}`}>${r.entity}</${Link}></td><td>${r.condition}</td><td>${r.constraint}</td>
        <td>${r.status ? html`${r.status} <code>${r.code}</code>` : r.severity}</td>
        <td>${r.source ? html`<code>${r.source}</code>` : html`<span class="muted">not enforced yet</span>`}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
