// Ask the domain catalog in words: the knowledge query's answers, best first, with how
// they were found and how relevant each is.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { navigate } from "mercato/lib/router.js";
import { words } from "mercato/lib/format.js";
import { Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function Query({ query }) {
  const asked = query.get("q") || "";
  const [text, setText] = useState(asked);
  const answers = useLoad(
    () => (asked ? api("GET", `/v1/knowledge/query${toQuery({ q: asked, limit: 10 })}`) : Promise.resolve(null)),
    [asked],
  );
  const submit = (event) => {
    event.preventDefault();
    navigate(`/explorer/query${toQuery({ q: text.trim() })}`);
  };
  return html`<${Page} title="Ask the catalog">
    <form class="search-box" role="search" onSubmit=${submit}>
      <label class="visually-hidden" for="ask">Question</label>
      <input id="ask" type="search" value=${text} placeholder="What happens when two shoppers buy the last item?"
        onInput=${(e) => setText(e.currentTarget.value)} />
      <button class="button primary" type="submit">Ask</button>
    </form>
    ${answers.loading && asked && html`<${Loading} label="Searching the catalog…" />`}
    <${ProblemBox} problem=${answers.problem} onRetry=${answers.reload} />
    ${answers.data && answers.data.items.length === 0 && html`<${Empty} title="Nothing in the catalog answers that." />`}
    ${answers.data && answers.data.items.length > 0 && html`<p class="muted">Found by ${answers.data.method} search.</p>
      <ol class="answers">${answers.data.items.map((a) => html`<li class="panel"><b>${a.id}</b> ${words(a.title)}
        <span class="muted"> · ${words(a.category)} · relevance ${a.relevance_score.toFixed(2)}</span><p>${a.content}</p></li>`)}</ol>`}
  </${Page}>`;
}
