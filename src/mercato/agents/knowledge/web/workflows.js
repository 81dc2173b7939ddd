// Workflows: the list, and one workflow drawn as its steps, each with the code that
// performs it, the saga step it runs in, what it checks and how it can end.
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Link } from "mercato/lib/router.js";
import { words } from "mercato/lib/format.js";
import { Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { WorkflowDiagram } from "./diagram.js";

export function Workflows() {
  const list = useLoad(() => api("GET", "/v1/knowledge/workflows"), []);
  return html`<${Page} title="Workflows">
    ${list.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${list.problem} onRetry=${list.reload} />
    ${list.data && html`<div class="table-wrap"><table><thead><tr><th>Workflow</th><th>Entities</th><th class="num">Steps built</th></tr></thead>
      <tbody>${list.data.items.map((w) => html`<tr><td><${Link} to=${`/explorer/workflows/${w.name}`}>${words(w.name)}</${Link}>
        <div class="muted">${w.description}</div></td><td>${w.involved_entities.join(", ")}</td>
        <td class="num">${w.steps_performed} of ${w.step_count}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function WorkflowPage({ params }) {
  const workflow = useLoad(() => api("GET", `/v1/knowledge/workflows/${encodeURIComponent(params.name)}`), [params.name]);
  if (workflow.loading) return html`<${Page} title="Workflow"><${Loading} /></${Page}>`;
  if (workflow.problem) return html`<${Page} title="Workflow"><${ProblemBox} problem=${workflow.problem} onRetry=${workflow.reload} /></${Page}>`;
  const w = workflow.data;
  return html`<${Page} title=${`Workflow: ${words(w.name)}`}>
    <p>${w.description}${w.saga && html` <span class="muted">· runs as the saga <code>${w.saga}</code></span>`}</p>
    <${WorkflowDiagram} workflow=${w} />
    <h2>Steps</h2>
    <div class="table-wrap"><table><thead><tr><th>Step</th><th>Checks</th><th>Ends as</th><th>Performed by</th></tr></thead>
      <tbody>${w.steps.map((s) => html`<tr><td><b>${s.order}. ${words(s.name)}</b><div class="muted">${s.description}</div></td>
        <td>${(s.validations || []).join(", ")}</td><td>${(s.possible_outcomes || []).join(", ")}</td>
        <td>${s.performed ? html`<code>${s.performed_by}</code><div class="muted">${s.source}${s.saga_step ? ` · saga step ${s.saga_step}` : ""}</div>` : html`<span class="muted">not built yet</span>`}</td></tr>`)}</tbody></table></div>
    ${w.missing_rules.length > 0 && html`<p class="notice">Rules this workflow should enforce and does not yet: ${w.missing_rules.join(", ")}</p>`}
  </${Page}>`;
}
