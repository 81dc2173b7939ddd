// What shoppers search for (the most frequent queries with the clicks they led to, and the
// queries nothing answered), the index's state, and, for admins, the store's synonyms: one group a line, its
// words or phrases separated by commas.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

function Queries({ rows, clicks }) {
  return html`<div class="table-wrap"><table><thead><tr><th>Query</th><th class="num">Searches</th>
    ${clicks && html`<th class="num">Clicks</th><th class="num">Results</th>`}</tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${r.query}</td><td class="num">${r.searches}</td>
      ${clicks && html`<td class="num">${r.clicks}</td><td class="num">${r.results}</td>`}</tr>`)}</tbody></table></div>`;
}

function Insights() {
  const [days, setDays] = useState(7);
  const data = useLoad(() => api("GET", `/v1/search/insights?days=${days}`), [days]);
  return html`<section aria-labelledby="insights-heading"><h2 id="insights-heading">What shoppers search for</h2>
    <${Field} label="Over the last" as="select" value=${String(days)} onChange=${(e) => setDays(Number(e.currentTarget.value))}>
      ${[1, 7, 30, 90].map((d) => html`<option value=${d}>${d === 1 ? "day" : `${d} days`}</option>`)}
    </${Field}>
    ${data.problem && html`<${ProblemBox} problem=${data.problem} onRetry=${data.reload} />`}
    ${data.loading && html`<${Loading} />`}
    ${data.data && html`<p class="muted">${data.data.searches} searches. The index holds
        ${" "}${data.data.index.products} products${data.data.index.meaning_pending
          ? `; ${data.data.index.meaning_pending} still wait for their meaning (found by their words meanwhile)`
          : ", each found by its words and its meaning"}.</p>
      <div class="row"><div class="grow"><h3>Most searched</h3>
        ${data.data.top_queries.length ? html`<${Queries} rows=${data.data.top_queries} clicks />`
          : html`<${Empty} title="No searches yet." />`}</div>
      <div class="grow"><h3>Nothing found</h3>
        ${data.data.zero_results.length ? html`<${Queries} rows=${data.data.zero_results} />`
          : html`<${Empty} title="Every search found something." />`}</div></div>`}
  </section>`;
}

function Synonyms() {
  const current = useLoad(() => api("GET", "/v1/search/synonyms"), []);
  const [draft, setDraft] = useState(null);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(false);
  if (current.loading) return html`<${Loading} />`;
  if (current.problem) return html`<${ProblemBox} problem=${current.problem} onRetry=${current.reload} />`;
  const text = draft ?? current.data.groups.map((g) => g.join(", ")).join("\n");
  const save = async () => {
    setProblem(null);
    setSaved(false);
    const groups = text.split("\n").map((line) => line.split(",").map((w) => w.trim()).filter(Boolean)).filter((g) => g.length);
    try {
      await api("PUT", "/v1/search/synonyms", { body: { groups } });
      setDraft(null);
      await current.reload();
      setSaved(true);
    } catch (e) {
      setProblem(e);
    }
  };
  return html`<section aria-labelledby="synonyms-heading"><h2 id="synonyms-heading">Synonyms</h2>
    <p class="muted">One group a line: words or phrases shoppers use for the same thing, separated by commas
      (tshirt, t shirt, tee). A search for any of them finds them all.</p>
    <div class="field"><label for="synonym-groups">Synonym groups</label>
      <textarea id="synonym-groups" rows="8" value=${text} onInput=${(e) => { setDraft(e.currentTarget.value); setSaved(false); }}></textarea></div>
    <${ProblemBox} problem=${problem} />
    ${saved && html`<p class="notice" role="status">Synonyms saved.</p>`}
    <${Action} onClick=${save} disabled=${draft === null}>Save synonyms</${Action}>
  </section>`;
}

export function AdminSearch() {
  return html`<${Page} title="Search">
    <${Insights} />
    ${roles().includes("admin") && html`<${Synonyms} />`}
  </${Page}>`;
}
