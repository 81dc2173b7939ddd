// What the reviews pages share: stars, one review (its text always rendered as text: htm
// puts interpolated strings in text nodes, never through the HTML parser; EC016), its
// replies, and the pages' stylesheet.
import { html } from "preact-htm";
import { day } from "mercato/lib/format.js";

export function useStyles() {
  if (document.getElementById("reviews-css")) return;
  const link = document.createElement("link");
  link.id = "reviews-css";
  link.rel = "stylesheet";
  link.href = new URL("./reviews.css", import.meta.url).href;
  document.head.append(link);
}

export function Stars({ rating }) {
  const whole = Math.round(rating || 0);
  return html`<span class="r-stars" role="img" aria-label=${`${rating ?? 0} out of 5 stars`}>${"★".repeat(whole)}${"☆".repeat(5 - whole)}</span>`;
}

export function ReviewBody({ review, children }) {
  return html`<article class="r-item" data-review=${review.id}>
    <div class="r-head">
      <${Stars} rating=${review.rating} />
      ${review.title && html`<span class="r-title">${review.title}</span>`}
    </div>
    <div class="r-head muted">
      <span>${review.display_name}</span><span>${day(review.published_at || review.created_at)}</span>
      ${review.verified && html`<span class="r-verified">✓ Verified purchase</span>`}
    </div>
    <p class="r-body">${review.body}</p>
    ${review.replies.map((r) => html`<div class="r-reply" key=${r.id}>
      <b>${r.author_kind === "merchant" ? "The seller" : "The store"} replied</b> <span class="muted">${day(r.created_at)}</span>
      <p class="r-body">${r.body}</p></div>`)}
    ${children}
  </article>`;
}
