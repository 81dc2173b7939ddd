// What every page is made of: loading and empty states, problems in words, labelled
// fields, status badges, and the picture a product shows when it has no photo of its own.
import { html, useCallback, useEffect, useRef, useState } from "preact-htm";
import { words } from "mercato/lib/format.js";
import { takeFocus } from "mercato/lib/router.js";

export { html };

/** Run `load()` now and whenever `deps` change: { data, problem, loading, reload }. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, problem: null, loading: true });
  const latest = useRef(0);
  const run = useCallback(async () => {
    const ticket = ++latest.current;
    setState((before) => ({ ...before, loading: true, problem: null }));
    try {
      const data = await load();
      if (ticket === latest.current) setState({ data, problem: null, loading: false });
    } catch (problem) {
      if (ticket === latest.current) setState({ data: null, problem, loading: false });
    }
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  return { ...state, reload: run };
}

/** A page's heading and the browser tab's title. */
export function Page({ title, actions, children, wide }) {
  useEffect(() => {
    document.title = title ? `${title} · Mercato` : "Mercato";
    if (title && takeFocus()) document.getElementById("page-title")?.focus({ preventScroll: true });
  }, [title]);
  return html`<section class=${wide ? "page wide" : "page"}>
    ${title &&
    html`<header class="page-head"><h1 tabindex="-1" id="page-title">${title}</h1>${actions}</header>`}
    ${children}
  </section>`;
}

export function Loading({ label = "Loading…" }) {
  return html`<div class="loading" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true"></span>${label}
  </div>`;
}

export function Empty({ title, children }) {
  return html`<div class="empty"><p class="empty-title">${title}</p>${children}</div>`;
}

/** A problem from the API, in words: its title, its detail, and any field it names. */
export function ProblemBox({ problem, onRetry }) {
  if (!problem) return null;
  const fields = problem.fields ? Object.entries(problem.fields()) : [];
  return html`<div class="problem" role="alert">
    <p class="problem-title">${problem.title || "Something went wrong"}</p>
    ${problem.detail && html`<p>${problem.detail}</p>`}
    ${fields.length > 0 &&
    html`<ul>${fields.map(([name, message]) => html`<li><b>${words(name)}</b>: ${message}</li>`)}</ul>`}
    ${onRetry && html`<button class="button secondary" onClick=${onRetry}>Try again</button>`}
  </div>`;
}

let fieldIds = 0;

/** A labelled input; `error` is shown under it and announced. */
export function Field({ label, error, hint, as = "input", children, ...input }) {
  const id = useRef(input.id || `field-${++fieldIds}`).current;
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const control =
    as === "select"
      ? html`<select id=${id} aria-invalid=${error ? "true" : undefined} aria-describedby=${described} ...${input}>${children}</select>`
      : html`<input id=${id} aria-invalid=${error ? "true" : undefined} aria-describedby=${described} ...${input} />`;
  return html`<div class=${error ? "field invalid" : "field"}>
    <label for=${id}>${label}</label>
    ${control}
    ${hint && !error && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </div>`;
}

/** A button that shows it is busy while `onClick`'s promise runs. */
export function Action({ onClick, children, kind = "primary", busyLabel, ...rest }) {
  const [busy, setBusy] = useState(false);
  const run = async (event) => {
    if (busy) return;
    setBusy(true);
    try {
      await onClick(event);
    } finally {
      setBusy(false);
    }
  };
  return html`<button class=${`button ${kind}`} disabled=${busy} aria-busy=${busy} onClick=${run} ...${rest}>
    ${busy ? busyLabel || children : children}
  </button>`;
}

const TONES = {
  confirmed: "good", paid: "good", delivered: "good", active: "good", authorized: "good",
  captured: "good", shipped: "info", pending: "warn", checking_out: "warn",
  cancelled: "bad", failed: "bad", declined: "bad", refunded: "muted", voided: "muted",
};

export function Badge({ status }) {
  return html`<span class=${`badge ${TONES[status] || "muted"}`}>${words(status)}</span>`;
}

/** A product's picture: a tile drawn from its name (hue and initials), so a store without
 * photos never shows empty boxes. */
const SIZES = {
  s: "64px",
  m: "(max-width: 600px) 50vw, 240px",
  l: "(max-width: 800px) 100vw, 560px",
};

/** A product's picture: an uploaded one (`picture`, a `PictureOut`) at the size the layout
 * needs (`srcset`), or else a tile drawn from the name. `decorative` when the name is beside
 * it (screen readers skip it); `eager` for the one picture the page opens on. */
export function Picture({ name, picture, size = "m", decorative = false, eager = false }) {
  if (picture) {
    return html`<img class=${`picture ${size}`} src=${size === "l" ? picture.url : picture.thumbnail_url}
      srcset=${`${picture.thumbnail_url} ${picture.thumbnail_width}w, ${picture.url} ${picture.width}w`}
      sizes=${SIZES[size]} width=${picture.width} height=${picture.height}
      alt=${decorative ? "" : picture.alt || name} loading=${eager ? "eager" : "lazy"} decoding="async" />`;
  }
  const text = String(name || "?");
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  const initials = text
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word))
    .slice(0, 2)
    .map((word) => word[0].toUpperCase())
    .join("");
  const label = decorative ? { "aria-hidden": "true" } : { role: "img", "aria-label": text };
  return html`<svg class=${`picture ${size}`} viewBox="0 0 120 120" ...${label}>
    <rect width="120" height="120" fill=${`hsl(${hue} 45% 88%)`} />
    <circle cx=${30 + (hash % 60)} cy="92" r="44" fill=${`hsl(${(hue + 40) % 360} 50% 78%)`} />
    <text x="60" y="70" text-anchor="middle" font-size="30" font-weight="600"
      fill=${`hsl(${hue} 45% 28%)`}>${initials}</text>
  </svg>`;
}
