// Staff's Reviews page: the moderation queue (and the published, rejected and hidden ones),
// each review with why it was held, approve / reject with a reason, and a public reply.
import { html, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ReviewBody, useStyles } from "./parts.js";

const STATUSES = ["pending", "published", "rejected", "hidden"];

export function Moderation() {
  useStyles();
  const [status, setStatus] = useState("pending");
  const list = useLoad(() => api("GET", `/v1/reviews${query({ status, limit: 100 })}`), [status]);
  return html`<${Page} title="Reviews" wide>
    <ul class="chips" aria-label="Reviews by status">
      ${STATUSES.map((s) => html`<li><a href="#" aria-current=${s === status ? "true" : "false"}
        onClick=${(e) => { e.preventDefault(); setStatus(s); }}>${s === "pending" ? "Waiting for moderation" : words(s)}</a></li>`)}
    </ul>
    ${list.loading && !list.data && html`<${Loading} />`}
    <${ProblemBox} problem=${list.problem} onRetry=${list.reload} />
    ${list.data && list.data.items.length === 0 && html`<${Empty} title=${status === "pending" ? "Nothing waits for moderation." : "No reviews here."} />`}
    ${list.data && html`<ul class="r-list">${list.data.items.map((review) => html`<li key=${review.id}>
      <${ReviewBody} review=${review}><${Moderate} review=${review} onDone=${list.reload} /></${ReviewBody}></li>`)}</ul>`}
  </${Page}>`;
}

function Moderate({ review, onDone }) {
  const [reason, setReason] = useState("");
  const [reply, setReply] = useState("");
  const [problem, setProblem] = useState(null);
  const run = async (path, body) => {
    setProblem(null);
    try {
      await api("POST", `/v1/reviews/${review.id}/${path}`, { body });
      setReason("");
      setReply("");
      await onDone();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<div class="r-moderate">
    <p class="r-reasons muted">Product <code>${review.product_id}</code> · ${words(review.status)}
      ${review.reasons.length > 0 && ` · held for: ${review.reasons.map(words).join(", ")}`}
      ${` · ${review.helpful} helpful · ${review.reports} reports`}</p>
    <div class="r-actions">
      ${review.status !== "published" && html`<${Action} onClick=${() => run("approve")}>Approve</${Action}>`}
      <${Field} label="Reason" value=${reason} maxlength="300" onInput=${(e) => setReason(e.currentTarget.value)} />
      ${review.status === "pending" && html`<${Action} kind="secondary" disabled=${!reason.trim()} onClick=${() => run("reject", { reason })}>Reject</${Action}>`}
      ${review.status === "published" && html`<${Action} kind="secondary" disabled=${!reason.trim()} onClick=${() => run("reject", { reason, hide: true })}>Hide</${Action}>`}
    </div>
    <div class="r-actions">
      <${Field} label="Public reply" value=${reply} maxlength="3000" onInput=${(e) => setReply(e.currentTarget.value)} />
      <${Action} kind="secondary" disabled=${!reply.trim()} onClick=${() => run("replies", { body: reply })}>Reply</${Action}>
    </div>
    <${ProblemBox} problem=${problem} />
  </div>`;
}
