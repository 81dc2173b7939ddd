// "Return items" of a delivered order: the lines to return and how many (up to the units
// delivered and not yet returned), a reason for each with an optional note, and the
// resolution (refund, store credit or an exchange, with another variant of the same product
// if the shopper picks one); sent, it leads to the new return. The 30-day window is
// explained up front, and the API's refusal (BR009, and any other) is shown as it says it.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { day, money } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { orderReturns, windowEnd } from "./mine.js";
import { REASONS, RESOLUTIONS, WINDOW_DAYS, returnable } from "./parts.js";

const LATE = "br009_return_window";

/** The API's detail as a sentence: a capital first, a full stop last. */
const sentence = (text) => {
  const said = String(text || "").trim();
  if (!said) return "";
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}${/[.!?]$/.test(said) ? "" : "."}`;
};

function Refusal({ problem }) {
  if (!problem) return null;
  if (problem.code === LATE) {
    return html`<div class="problem r-late" role="alert">
      <p class="problem-title">Too late to return this order</p>
      <p>${sentence(problem.detail)}</p>
      <p>If something is wrong with what you received, <${Link} to="/shop/help">ask our support team</${Link}>: they can look at it.</p>
    </div>`;
  }
  return html`<${ProblemBox} problem=${problem} />`;
}

/** The other variants of a line's product the shopper could take in exchange. */
function useVariants(lines, wanted) {
  const ids = wanted ? [...new Set(lines.map((l) => l.product_id))].sort().join(",") : "";
  return useLoad(async () => {
    if (!ids) return {};
    const found = await Promise.all(
      ids.split(",").map((id) => api("GET", `/v1/products/${encodeURIComponent(id)}`).catch(() => null)),
    );
    return Object.fromEntries(found.filter(Boolean).map((p) => [p.id, p]));
  }, [ids]);
}

export function ReturnRequest({ params }) {
  const order = useLoad(() => api("GET", `/v1/orders/${encodeURIComponent(params.id)}`), [params.id]);
  const returns = useLoad(() => orderReturns(params.id), [params.id]);
  const [picked, setPicked] = useState({}); // line id → { on, quantity, reason, note, exchange }
  const [resolution, setResolution] = useState("refund");
  const [problem, setProblem] = useState(null);
  const o = order.data;
  const lines = o ? o.lines.map((l) => ({ ...l, left: returnable(l, returns.data?.items) })).filter((l) => l.left > 0) : [];
  const variants = useVariants(lines, resolution === "exchange");
  if ((order.loading && !o) || (returns.loading && !returns.data)) return html`<${Page} title="Return items"><${Loading} /></${Page}>`;
  if (order.problem) return html`<${Page} title="Return items"><${ProblemBox} problem=${order.problem} onRetry=${order.reload} /></${Page}>`;
  const back = `/account/orders/${encodeURIComponent(o.id)}`;
  const ends = windowEnd(o);
  const late = ends && ends < new Date();
  const c = o.currency;
  const of = (line) => picked[line.id] || { on: false, quantity: line.left, reason: "", note: "", exchange: "" };
  const set = (line, change) => setPicked({ ...picked, [line.id]: { ...of(line), ...change } });
  const chosen = lines.filter((l) => of(l).on);
  const missingReason = chosen.some((l) => !of(l).reason);
  const send = async (event) => {
    event?.preventDefault();
    setProblem(null);
    const body = {
      resolution,
      lines: chosen.map((l) => {
        const p = of(l);
        const line = { line_id: l.id, quantity: Number(p.quantity), reason: p.reason };
        if (p.note.trim()) line.note = p.note.trim();
        if (resolution === "exchange" && p.exchange) line.exchange_variant_id = p.exchange;
        return line;
      }),
    };
    try {
      const made = await api("POST", `/v1/orders/${encodeURIComponent(o.id)}/returns`, { body });
      navigate(`/account/returns/${encodeURIComponent(made.id)}?new=1`);
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title=${`Return items of ${o.number}`}>
    <p class=${late ? "notice r-window late" : "notice r-window"}>
      Delivered items can be returned within ${WINDOW_DAYS} days of delivery.
      ${ends && (late ? ` This order's window closed on ${day(ends)}.` : ` This order's window is open until ${day(ends)}.`)}
    </p>
    ${lines.length === 0
      ? html`<${Empty} title="Nothing of this order can be returned.">
          <p>Only delivered items that are not returned yet, nor in another return, can be.</p><${Link} to=${back}>Back to the order</${Link}></${Empty}>`
      : html`<form class="r-form" onSubmit=${send} novalidate>
        <fieldset class="plain"><legend><h2>What are you returning?</h2></legend>
          <ul class="r-lines">${lines.map((l) => {
            const p = of(l);
            const product = variants.data?.[l.product_id];
            const others = (product?.variants || []).filter((v) => v.status === "active" && v.price === l.unit_price);
            return html`<li class=${p.on ? "r-line on" : "r-line"}>
              <label class="check r-pick"><input type="checkbox" checked=${p.on} onChange=${(e) => set(l, { on: e.currentTarget.checked })} />
                <span><b>${l.name}</b> <span class="muted">${l.sku} · ${money(l.unit_price, c)} each</span>
                <span class="hint">${l.left} of ${l.quantity} can be returned</span></span></label>
              ${p.on && html`<div class="fields r-details">
                <${Field} label=${`Units of ${l.sku}`} type="number" min="1" max=${l.left} class="qty" value=${p.quantity}
                  hint=${`1 to ${l.left}`} onInput=${(e) => set(l, { quantity: e.currentTarget.value })} />
                <${Field} label=${`Reason for ${l.sku}`} as="select" value=${p.reason} required
                  onChange=${(e) => set(l, { reason: e.currentTarget.value })}>
                  <option value="" disabled>Choose a reason</option>
                  ${Object.entries(REASONS).map(([code, label]) => html`<option value=${code}>${label}</option>`)}
                </${Field}>
                <${Field} label=${`Note on ${l.sku} (optional)`} value=${p.note} maxlength="500"
                  hint="Anything that helps us: what is wrong, what you expected." onInput=${(e) => set(l, { note: e.currentTarget.value })} />
                ${resolution === "exchange" && html`<${Field} label=${`Exchange ${l.sku} for`} as="select" value=${p.exchange}
                  hint=${variants.loading ? "Finding the other sizes and colours…" : others.some((v) => v.id !== l.variant_id) ? "Another size or colour at the same price." : "No other size or colour at this price: the same item again."} onChange=${(e) => set(l, { exchange: e.currentTarget.value })}>
                  <option value="">The same item again</option>
                  ${others.filter((v) => v.id !== l.variant_id).map((v) => html`<option value=${v.id}>${v.title || v.sku} (${v.sku})</option>`)}
                </${Field}>`}
              </div>`}
            </li>`;
          })}</ul>
        </fieldset>
        <fieldset class="plain r-resolution"><legend><h2>What would you like?</h2></legend>
          ${Object.entries(RESOLUTIONS).map(([code, r]) => html`<label class="r-choice">
            <input type="radio" name="resolution" value=${code} checked=${resolution === code} onChange=${() => setResolution(code)} />
            <span><b>${r.label}</b><span class="hint">${r.hint}</span></span></label>`)}
        </fieldset>
        <${Refusal} problem=${problem} />
        ${chosen.length > 0 && missingReason && html`<p class="hint" id="r-why-disabled">Choose a reason for every item you return.</p>`}
        <div class="inline-form">
          <${Action} onClick=${send} disabled=${chosen.length === 0 || missingReason} busyLabel="Sending…"
            aria-describedby=${chosen.length > 0 && missingReason ? "r-why-disabled" : undefined}>Request the return</${Action}>
          <${Link} to=${back}>Back to the order</${Link}>
        </div>
      </form>`}
  </${Page}>`;
}
