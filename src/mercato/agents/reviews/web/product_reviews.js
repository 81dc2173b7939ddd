// A product's reviews on its page: the rating summary with a histogram (a bar is a filter),
// the published reviews (sort, rating and verified filters, "more"), helpful votes and
// reports for signed-in shoppers, and a form to write (or change) one's own review.
import { html, useEffect, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { roles, signedIn } from "mercato/lib/credentials.js";
import { Action, Field, Loading, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ReviewBody, Stars, useStyles } from "./parts.js";

const SORTS = { newest: "Newest", helpful: "Most helpful", rating_high: "Highest rating", rating_low: "Lowest rating" };

export function ProductReviews({ productId }) {
  useStyles();
  const [sort, setSort] = useState("newest");
  const [rating, setRating] = useState("");
  const [verified, setVerified] = useState(false);
  const [more, setMore] = useState({ items: [], cursor: null });
  const params = { sort, limit: 10, ...(rating ? { rating } : {}), ...(verified ? { verified: true } : {}) };
  const page = useLoad(() => api("GET", `/v1/products/${encodeURIComponent(productId)}/reviews${query(params)}`), [productId, sort, rating, verified]);
  useEffect(() => setMore({ items: [], cursor: null }), [page.data]);
  const loadMore = async () => {
    const cursor = more.cursor || page.data.next_cursor;
    const next = await api("GET", `/v1/products/${encodeURIComponent(productId)}/reviews${query({ ...params, cursor })}`);
    setMore({ items: [...more.items, ...next.items], cursor: next.next_cursor || "" });
  };
  const summary = page.data?.rating;
  const items = page.data ? [...page.data.items, ...more.items] : [];
  const hasMore = page.data && (more.cursor === null ? page.data.next_cursor : more.cursor);
  return html`<section class="panel" aria-labelledby="reviews-title">
    <h2 id="reviews-title">Customer reviews</h2>
    ${summary && html`<${Summary} summary=${summary} onPick=${(star) => setRating(String(star))} />`}
    <div class="r-tools">
      <${Field} label="Sort by" as="select" value=${sort} onChange=${(e) => setSort(e.currentTarget.value)}>
        ${Object.entries(SORTS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </${Field}>
      <${Field} label="Rating" as="select" value=${rating} onChange=${(e) => setRating(e.currentTarget.value)}>
        <option value="">All ratings</option>
        ${[5, 4, 3, 2, 1].map((n) => html`<option value=${String(n)}>${n} stars</option>`)}
      </${Field}>
      <label class="check"><input type="checkbox" checked=${verified} onChange=${(e) => setVerified(e.currentTarget.checked)} /> Verified purchases only</label>
    </div>
    ${page.loading && !page.data && html`<${Loading} label="Loading reviews…" />`}
    <${ProblemBox} problem=${page.problem} onRetry=${page.reload} />
    ${page.data && items.length === 0 && html`<p class="muted">No reviews${rating || verified ? " match" : " yet"}.</p>`}
    <ul class="r-list">${items.map((review) => html`<li key=${review.id}><${ReviewBody} review=${review}>
      <${Feedback} review=${review} onChange=${page.reload} /></${ReviewBody}></li>`)}</ul>
    ${hasMore && html`<${Action} kind="secondary" onClick=${loadMore}>More reviews</${Action}>`}
    <${WriteReview} productId=${productId} onSaved=${page.reload} />
  </section>`;
}

function Summary({ summary, onPick }) {
  const top = Math.max(1, ...Object.values(summary.histogram));
  return html`<div class="r-summary">
    <div><div class="r-average">${summary.average === null ? "–" : summary.average.toFixed(1)}</div>
      <${Stars} rating=${summary.average || 0} /><div class="muted">${summary.count} review${summary.count === 1 ? "" : "s"}</div></div>
    <ul class="r-histogram" aria-label="Reviews by rating">
      ${[5, 4, 3, 2, 1].map((star) => {
        const count = summary.histogram[String(star)] || 0;
        return html`<li><button type="button" aria-label=${`${count} reviews with ${star} stars: show them`} onClick=${() => onPick(star)}>
          <span>${star} ★</span><span class="r-bar" aria-hidden="true"><span style=${`width:${Math.round((count / top) * 100)}%`}></span></span><span class="num">${count}</span></button></li>`;
      })}
    </ul>
  </div>`;
}

function Feedback({ review, onChange }) {
  const me = signedIn()?.user;
  const [problem, setProblem] = useState(null);
  const [said, setSaid] = useState(null);
  const act = async (path, body, done) => {
    setProblem(null);
    try {
      await api("POST", `/v1/reviews/${review.id}/${path}`, { body });
      setSaid(done);
      await onChange();
    } catch (p) {
      setProblem(p);
    }
  };
  const helpful = `Helpful (${review.helpful})`;
  return html`<div class="r-actions">
    ${me && me.id !== review.customer_id
      ? html`<${Action} kind="secondary" aria-pressed=${review.my_vote === true ? "true" : "false"} onClick=${() => act("votes", { helpful: true }, "Thanks for your vote.")}>${helpful}</${Action}>
        <${Action} kind="secondary" aria-pressed=${review.my_vote === false ? "true" : "false"} onClick=${() => act("votes", { helpful: false }, "Thanks for your vote.")}>Not helpful (${review.unhelpful})</${Action}>
        <${Action} kind="secondary" onClick=${() => act("reports", { reason: "Reported from the shop" }, "Reported: our team will look at it.")}>Report</${Action}>`
      : html`<span class="muted">${review.helpful} found this helpful</span>`}
    ${said && html`<span role="status">${said}</span>`}
    <${ProblemBox} problem=${problem} />
  </div>`;
}

function WriteReview({ productId, onSaved }) {
  const me = signedIn()?.user;
  const [form, setForm] = useState({ rating: "5", title: "", body: "" });
  const [outcome, setOutcome] = useState(null);
  if (!me || !roles().includes("customer")) {
    return html`<p class="muted">Sign in as a customer to write a review.</p>`;
  }
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const save = async () => {
    setOutcome(null);
    try {
      const body = { rating: Number(form.rating), title: form.title || null, body: form.body };
      const saved = await api("POST", `/v1/products/${encodeURIComponent(productId)}/reviews`, { body });
      setOutcome({ saved });
      setForm({ rating: "5", title: "", body: "" });
      await onSaved();
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  return html`<form class="panel" onSubmit=${(e) => e.preventDefault()} aria-labelledby="write-review">
    <h3 id="write-review">Write a review</h3>
    <${Field} label="Rating" as="select" value=${form.rating} onChange=${set("rating")}>
      ${[5, 4, 3, 2, 1].map((n) => html`<option value=${String(n)}>${n} stars</option>`)}
    </${Field}>
    <${Field} label="Title (optional)" maxlength="200" value=${form.title} onInput=${set("title")} />
    <div class="field"><label for="review-body">Your review</label>
      <textarea id="review-body" rows="4" maxlength="5000" value=${form.body} onInput=${set("body")}></textarea></div>
    <${ProblemBox} problem=${outcome?.problem} />
    ${outcome?.saved && html`<p class="notice" role="status">${outcome.saved.status === "published" ? "Thanks! Your review is published." : "Thanks! Your review will be shown once our team has checked it."}</p>`}
    <${Action} disabled=${!form.body.trim()} onClick=${save} busyLabel="Sending…">Publish review</${Action}>
  </form>`;
}
