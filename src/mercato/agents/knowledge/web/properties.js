// Seed 001's correctness properties ("Property N"): what each one promises, the requirements
// it validates, and the tests that prove it with their last outcome; grouped by the part of
// the system they belong to, uncovered ones standing out.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { words, when } from "mercato/lib/format.js";
import { Badge, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function Properties() {
  const found = useLoad(() => api("GET", "/v1/knowledge/properties"), []);
  const [status, setStatus] = useState("");
  const items = found.data?.items || [];
  const counts = {};
  for (const p of items) counts[p.status] = (counts[p.status] || 0) + 1;
  const areas = [];
  for (const p of items.filter((p) => !status || p.status === status)) {
    let group = areas.find((a) => a.name === p.area);
    if (!group) areas.push((group = { name: p.area, items: [] }));
    group.items.push(p);
  }
  return html`<${Page} title="Seed 001 properties">
    ${found.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.data && html`<div class="inline-form" style="margin-bottom:12px">
      <${Field} label="Show" as="select" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        <option value="">All (${items.length})</option>
        ${Object.entries(counts).map(([s, n]) => html`<option value=${s}>${words(s)} (${n})</option>`)}
      </${Field}></div>
      ${areas.map((area) => html`<h2>${area.name}</h2>
      <div class="table-wrap"><table><thead><tr><th>Property</th><th>Validates</th><th>Status</th><th>Tests</th></tr></thead>
      <tbody>${area.items.map((p) => html`<tr id=${`P${p.number}`}><td><b>${p.number}</b> ${p.title}</td>
        <td>${p.validates.join(", ")}</td><td><${Badge} status=${p.status} /></td>
        <td>${p.tests.length === 0 ? html`<span class="muted">none</span>` : html`<ul class="tests">${p.tests.map((t) => html`<li><code>${t.test.split("::").pop()}</code>
          <div class="muted">${t.outcome ? `${t.outcome}${t.at ? `, ${when(t.at)}` : ""}` : "not run here"}</div></li>`)}</ul>`}</td></tr>`)}</tbody></table></div>`)}`}
  </${Page}>`;
}
