// A customer's own reviews, whatever their status, with a way to delete one.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ReviewBody, useStyles } from "./parts.js";

export function MyReviews() {
  useStyles();
  const list = useLoad(() => api("GET", "/v1/reviews/mine?limit=100"), []);
  const [problem, setProblem] = useState(null);
  const remove = async (review) => {
    setProblem(null);
    try {
      await api("DELETE", `/v1/reviews/${review.id}`);
      await list.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="Your reviews">
    ${list.loading && !list.data && html`<${Loading} />`}
    <${ProblemBox} problem=${list.problem || problem} onRetry=${list.reload} />
    ${list.data && list.data.items.length === 0 && html`<${Empty} title="You have not reviewed anything yet." />`}
    ${list.data && html`<ul class="r-list">${list.data.items.map((review) => html`<li key=${review.id}>
      <${ReviewBody} review=${review}><div class="r-actions">
        <span class="muted">${words(review.status)}</span>
        <${Link} to=${`/shop/products/${review.product_id}`}>The product</${Link}>
        <${Action} kind="secondary" onClick=${() => remove(review)}>Delete</${Action}>
      </div></${ReviewBody}></li>`)}</ul>`}
  </${Page}>`;
}
