// The FAQ as staff edit it: every article (drafts too) in the store's order, each editable
// in place, and a new one. Keywords are the words shoppers use that the question does not.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const TOPICS = ["shipping", "returns", "payments", "orders", "account", "products", "discounts", "other"];
const BLANK = { question: "", answer: "", topic: "shipping", keywords: "", published: true, position: "" };

function body(draft) {
  const out = {
    question: draft.question,
    answer: draft.answer,
    topic: draft.topic,
    keywords: draft.keywords.split(",").map((k) => k.trim()).filter(Boolean),
    published: draft.published,
  };
  if (String(draft.position).trim() !== "") out.position = Number(draft.position);
  return out;
}

function ArticleForm({ initial, label, onSave, onDelete, idPrefix }) {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(false);
  const set = (name) => (e) => {
    setSaved(false);
    setDraft({ ...draft, [name]: e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });
  };
  const run = (action) => async () => {
    setProblem(null);
    try {
      await action();
      setSaved(true);
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<div>
    <${Field} label="Question" value=${draft.question} onInput=${set("question")} error=${errors.question} />
    <div class="field"><label for=${`${idPrefix}-answer`}>Answer</label>
      <textarea id=${`${idPrefix}-answer`} rows="5" value=${draft.answer} onInput=${set("answer")}></textarea></div>
    <div class="fields">
      <${Field} label="Topic" as="select" value=${draft.topic} onChange=${set("topic")}>
        ${[...new Set([...TOPICS, draft.topic])].map((t) => html`<option value=${t}>${words(t)}</option>`)}
      </${Field}>
      <${Field} label="Position" type="number" min="0" value=${draft.position} onInput=${set("position")} error=${errors.position} />
    </div>
    <${Field} label="Keywords (comma separated)" value=${draft.keywords} onInput=${set("keywords")} error=${errors.keywords} />
    <label class="check"><input type="checkbox" checked=${draft.published} onChange=${set("published")} /> Published</label>
    <${ProblemBox} problem=${problem} />
    ${saved && html`<p class="notice" role="status">Saved.</p>`}
    <div class="inline-form">
      <${Action} onClick=${run(() => onSave(body(draft)))}>${label}</${Action}>
      ${onDelete && html`<${Action} kind="danger" onClick=${run(onDelete)}>Delete</${Action}>`}
    </div>
  </div>`;
}

export function FaqEditor() {
  const articles = useLoad(() => api("GET", "/v1/support/faq?drafts=true"), []);
  const [adding, setAdding] = useState(0);
  return html`<${Page} title="FAQ" actions=${html`<${Link} to="/shop/help">See the Help page</${Link}>`}>
    <details class="panel"><summary><b>New article</b></summary>
      <${ArticleForm} key=${adding} idPrefix="new" initial=${BLANK} label="Add article"
        onSave=${async (b) => { await api("POST", "/v1/support/faq", { body: b }); setAdding(adding + 1); await articles.reload(); }} />
    </details>
    ${articles.loading && !articles.data && html`<${Loading} />`}
    <${ProblemBox} problem=${articles.problem} onRetry=${articles.reload} />
    ${articles.data && articles.data.items.map((a) => html`<details class="panel" key=${`${a.id}-${a.updated_at}`}>
      <summary><b>${a.question}</b> <span class="muted">· ${words(a.topic)} · #${a.position}</span>
        ${!a.published && html` <span class="badge warn">Draft</span>`}</summary>
      <${ArticleForm} idPrefix=${`a-${a.id}`} label="Save"
        initial=${{ ...a, keywords: a.keywords.join(", "), position: String(a.position) }}
        onSave=${async (b) => { await api("PATCH", `/v1/support/faq/${a.id}`, { body: b }); await articles.reload(); }}
        onDelete=${async () => { await api("DELETE", `/v1/support/faq/${a.id}`); await articles.reload(); }} />
    </details>`)}
  </${Page}>`;
}
