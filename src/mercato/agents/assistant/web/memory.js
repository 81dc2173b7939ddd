// What the assistant remembers of the shopper (signed in, or a guest's session): the
// preferences they told it, and what their views, cart and orders suggest; each can be
// forgotten, or everything at once.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { credentials } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

const KEYS = { color: "Colour", exclude: "Avoids", max_price: "Budget up to", likes: "Likes", price_band: "Price range" };
const SOURCES = { stated: "you told us", cart: "from your cart", view: "from what you looked at", purchase: "from your orders" };
const GROUPS = [
  { kind: "preference", title: "Preferences you told us", none: "Nothing you told us is kept." },
  { kind: "affinity", title: "What your shopping suggests", none: "Nothing your shopping suggests is kept." },
];

const label = (entry) => `${KEYS[entry.key] || words(entry.key)}: ${entry.value}`;

function Entry({ entry, onForget }) {
  return html`<li class="line">
    <div class="what"><b>${label(entry)}</b>
      <div class="muted">${SOURCES[entry.source] || words(entry.source)} · ${when(entry.updated_at)}</div></div>
    <${Action} kind="secondary" onClick=${() => onForget(entry)} aria-label=${`Forget ${label(entry)}`}>Forget</${Action}>
  </li>`;
}

export function MemoryPage() {
  const anyone = Object.keys(credentials()).length > 0;
  const memory = useLoad(() => (anyone ? api("GET", "/v1/me/memory") : Promise.resolve({ items: [] })), []);
  const [problem, setProblem] = useState(null);
  const [sure, setSure] = useState(false);
  const [done, setDone] = useState(null);
  const notice = useRef(null);
  const confirm = useRef(null);
  // the button pressed is gone: the focus goes to what its press said, or to the question
  useEffect(() => notice.current?.focus(), [done]);
  useEffect(() => sure && confirm.current?.querySelector("button")?.focus(), [sure]);
  const run = (fn, said) => async () => {
    setProblem(null);
    try {
      await fn();
      setDone({ said });
      setSure(false);
      await memory.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const forget = (entry) => run(() => api("DELETE", `/v1/me/memory/${encodeURIComponent(entry.id)}`), `Forgotten: ${label(entry)}.`)();
  const forgetAll = run(() => api("DELETE", "/v1/me/memory"), "Everything we remembered is forgotten.");
  const items = memory.data?.items || [];
  return html`<${Page} title="What we remember">
    <p class="muted">The shopping assistant keeps a few things to suggest what suits you: what you told it,
      and what your views, cart and orders suggest. Forget any of it here; the chat itself is not changed.</p>
    ${done && html`<p class="notice" role="status" tabindex="-1" ref=${notice}>${done.said}</p>`}
    <${ProblemBox} problem=${problem || memory.problem} onRetry=${memory.problem ? memory.reload : undefined} />
    ${memory.loading && !memory.data && html`<${Loading} />`}
    ${memory.data && items.length === 0 && html`<${Empty} title="We remember nothing about you.">
      <${Link} to="/">Back to the shop</${Link}></${Empty}>`}
    ${items.length > 0 && GROUPS.map((group) => {
      const mine = items.filter((entry) => entry.kind === group.kind).sort((a, b) => b.weight - a.weight);
      return html`<section class="panel" aria-labelledby=${`memory-${group.kind}`}>
        <h2 id=${`memory-${group.kind}`}>${group.title}</h2>
        ${mine.length === 0 ? html`<p class="muted">${group.none}</p>`
          : html`<ul class="lines">${mine.map((entry) => html`<${Entry} key=${entry.id} entry=${entry} onForget=${forget} />`)}</ul>`}
      </section>`;
    })}
    ${items.length > 0 && (sure
      ? html`<div class="notice" role="alert" ref=${confirm}><p>Forget everything we remember about you?</p>
          <${Action} kind="danger" onClick=${forgetAll}>Yes, forget everything</${Action}>
          ${" "}<button class="button secondary" type="button" onClick=${() => setSure(false)}>Keep it</button></div>`
      : html`<button class="button danger" type="button" onClick=${() => setSure(true)}>Forget everything</button>`)}
  </${Page}>`;
}
