// Edge cases: what each one is, what must happen, and the tests that cover it with their
// last outcome (as the test run recorded it); uncovered ones stand out.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { words, when } from "mercato/lib/format.js";
import { Badge, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function EdgeCases() {
  const cases = useLoad(() => api("GET", "/v1/knowledge/edge-cases"), []);
  const [status, setStatus] = useState("");
  const shown = (cases.data?.items || []).filter((c) => !status || c.status === status);
  const counts = {};
  for (const c of cases.data?.items || []) counts[c.status] = (counts[c.status] || 0) + 1;
  return html`<${Page} title="Edge cases">
    ${cases.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${cases.problem} onRetry=${cases.reload} />
    ${cases.data && html`<div class="inline-form" style="margin-bottom:12px">
      <${Field} label="Show" as="select" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        <option value="">All (${cases.data.items.length})</option>
        ${Object.entries(counts).map(([s, n]) => html`<option value=${s}>${words(s)} (${n})</option>`)}
      </${Field}></div>
      <div class="table-wrap"><table><thead><tr><th>Edge case</th><th>Expected</th><th>Status</th><th>Tests</th></tr></thead>
      <tbody>${shown.map((c) => html`<tr id=${c.id}><td><b>${c.id}</b> ${words(c.name)}<div class="muted">${c.description}</div>
        <div class="muted">${c.entity}${c.workflow ? ` · ${c.workflow}` : ""} · ${c.severity}</div></td>
        <td>${c.expected_behavior}</td><td><${Badge} status=${c.status} /></td>
        <td>${c.tests.length === 0 ? html`<span class="muted">none</span>` : html`<ul class="tests">${c.tests.map((t) => html`<li><code>${t.test.split("::").pop()}</code>
          <div class="muted">${t.outcome ? `${t.outcome}${t.at ? `, ${when(t.at)}` : ""}` : "not run here"}</div></li>`)}</ul>`}</td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
