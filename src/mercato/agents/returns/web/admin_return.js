// One return for staff: its order, customer, lines with the reasons and notes the shopper
// gave, screening's flags, and what its status allows (admins): approve or reject it (with
// a reason), receive the parcel (units per line, all by default), inspect each item (its
// condition, where it goes, the refund BR010 allows, the restocking fee), refund it (to the
// original payment or to store credit), and the outcome: where the money went, the refund's
// note, the replacement order of an exchange.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { money, when } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { CONDITIONS, DISPOSITIONS, Flags, LabelLink, Status, reasonLabel, resolutionLabel } from "./parts.js";

const canManage = () => roles().includes("admin");
const INSPECTED = ["inspected", "refunding", "refunded"];

export function AdminReturn({ params }) {
  const found = useLoad(() => api("GET", `/v1/returns/${encodeURIComponent(params.id)}`), [params.id]);
  const [problem, setProblem] = useState(null);
  const [changed, setChanged] = useState(null);
  if (found.loading && !found.data) return html`<${Page}><${Loading} /></${Page}>`;
  if (found.problem) return html`<${Page} title="Return"><${ProblemBox} problem=${found.problem} onRetry=${found.reload} /></${Page}>`;
  const r = found.data;
  const c = r.currency;
  const act = (step, body, said) => async () => {
    setProblem(null);
    setChanged(null);
    try {
      await api("POST", `/v1/returns/${encodeURIComponent(r.id)}/${step}`, body === undefined ? {} : { body });
      await found.reload();
      setChanged(said);
    } catch (p) {
      setProblem(p);
    }
  };
  const inspected = INSPECTED.includes(r.status);
  return html`<${Page} title=${`Return ${r.number}`} wide>
    <p class="r-head"><${Status} status=${r.status} /> <${Flags} flags=${r.flags} />
      ${r.late && html`<span class="badge warn">Late</span>`}
      <span class="muted">asked ${when(r.requested_at)}</span></p>
    ${changed && html`<p class="notice" role="status">${changed}</p>`}
    <${ProblemBox} problem=${problem} />
    <div class="panel"><h2>Items</h2>
      <div class="table-wrap"><table class="r-items">
        <thead><tr><th>Item</th><th class="num">Asked</th><th>Reason</th>
          ${r.received_at && html`<th class="num">Received</th>`}
          ${inspected && html`<th>Condition</th>`}
          <th class="num">Paid</th>${inspected && html`<th class="num">Deducted</th><th class="num">Refund</th>`}</tr></thead>
        <tbody>${r.lines.map((l) => html`<tr>
          <td>${l.name}<div class="muted">${l.sku}</div>${l.exchange_variant_id && html`<div class="muted">Exchange for another variant</div>`}</td>
          <td class="num">${l.quantity}</td>
          <td class="r-reason">${reasonLabel(l.reason)}${l.note && html`<div class="r-note">“${l.note}”</div>`}</td>
          ${r.received_at && html`<td class="num">${l.received_quantity}</td>`}
          ${inspected && html`<td>${CONDITIONS[l.condition]?.label || l.condition || ""}<div class="muted">${DISPOSITIONS[l.disposition] || l.disposition || ""}</div></td>`}
          <td class="num">${money(l.paid_amount, c)}</td>
          ${inspected && html`<td class="num">${Number(l.fee_amount) > 0 ? `−${money(l.fee_amount, c)}` : money(0, c)}</td><td class="num"><b>${money(l.refund_amount, c)}</b></td>`}
        </tr>`)}</tbody>
        ${inspected && html`<tfoot><tr class="r-total"><td colspan=${r.received_at ? 5 : 4}>Total</td>
          <td class="num">${money(r.paid_amount, c)}</td><td class="num">${Number(r.fee_amount) > 0 ? `−${money(r.fee_amount, c)}` : money(0, c)}</td><td class="num"><b>${money(r.refund_amount, c)}</b></td></tr></tfoot>`}
      </table></div>
    </div>
    <div class="row">
      <div class="grow">
        ${(r.status === "refunded" || Number(r.refunded_to_payment) > 0 || Number(r.refunded_to_credit) > 0 || r.replacement_order_id || r.refund_note) && html`<${Outcome} r=${r} />`}
        ${canManage() ? html`<${Actions} r=${r} act=${act} reload=${found.reload} />` : ["requested", "approved", "received", "inspected"].includes(r.status) && html`<p class="muted">Only an admin can act on a return.</p>`}
      </div>
      <aside class="side r-side">
        <div class="panel"><h2>Return</h2><dl class="facts">
          <dt>Order</dt><dd><${Link} to=${`/admin/orders/${encodeURIComponent(r.order_id)}`}>${r.order_number}</${Link}></dd>
          <dt>Customer</dt><dd class="r-break">${r.email}</dd>
          <dt>Wants</dt><dd>${resolutionLabel(r.resolution)}</dd>
          <dt>Worth</dt><dd>${money(r.paid_amount, c)}</dd>
          ${r.decided_at && html`<dt>Decided</dt><dd>${when(r.decided_at)}</dd>`}
          ${r.received_at && html`<dt>Received</dt><dd>${when(r.received_at)}</dd>`}
          ${r.inspected_at && html`<dt>Inspected</dt><dd>${when(r.inspected_at)}</dd>`}
          ${r.refunded_at && html`<dt>Refunded</dt><dd>${when(r.refunded_at)}</dd>`}
          ${r.label_url && html`<dt>Label</dt><dd><${LabelLink} ret=${r}>Return label (PDF)</${LabelLink}></dd>`}
        </dl>
        ${r.exception_note && html`<p class="r-exception"><b>Accepted late:</b> ${r.exception_note}</p>`}
        ${r.rejection_reason && html`<p><b>Rejected:</b> ${r.rejection_reason}</p>`}</div>
      </aside>
    </div>
    <p><${Link} to=${`/admin/returns?status=${r.status === "refunding" ? "inspected" : r.status}`}>Back to the returns</${Link}></p>
  </${Page}>`;
}

function Outcome({ r }) {
  const c = r.currency;
  const how = [
    Number(r.refunded_to_payment) > 0 && "refunded to the payment",
    Number(r.refunded_to_credit) > 0 && "refunded to store credit",
    r.replacement_order_id && "replaced by a new order",
  ].filter(Boolean);
  return html`<div class="panel r-outcome"><h2>Outcome</h2><dl class="facts">
    ${how.length > 0 && html`<dt>Resolved</dt><dd class="r-how">${how.join(", ").replace(/^./, (a) => a.toUpperCase())}</dd>`}
    <dt>${r.replacement_order_id ? "Value" : "Refund"}</dt><dd><b>${money(r.refund_amount, c)}</b></dd>
    <dt>To the payment</dt><dd>${money(r.refunded_to_payment, c)}</dd>
    <dt>To store credit</dt><dd>${money(r.refunded_to_credit, c)}</dd>
    ${r.replacement_order_id && html`<dt>Replacement</dt><dd><${Link} to=${`/admin/orders/${encodeURIComponent(r.replacement_order_id)}`}>Replacement order</${Link}></dd>`}
  </dl>${r.refund_note && html`<p class="r-refund-note"><b>Note:</b> ${r.refund_note}</p>`}</div>`;
}

function Actions({ r, act, reload }) {
  if (r.status === "requested") return html`<${Decide} r=${r} act=${act} />`;
  if (r.status === "approved") return html`<${Receive} r=${r} act=${act} />`;
  if (r.status === "received") return html`<${Inspect} r=${r} act=${act} />`;
  if (r.status === "inspected") return html`<${Refund} r=${r} act=${act} />`;
  if (r.status === "refunding") {
    return html`<div class="panel"><h2>Refunding</h2><p>The refund runs: stock first, then the money.</p>
      <${Action} kind="secondary" onClick=${reload}>Look again</${Action}></div>`;
  }
  return null;
}

function RejectForm({ act }) {
  const [reason, setReason] = useState("");
  return html`<div class="inline-form r-reject">
    <${Field} label="Reason for rejecting" value=${reason} maxlength="300" hint="The shopper is told it."
      onInput=${(e) => setReason(e.currentTarget.value)} />
    <${Action} kind="danger" disabled=${!reason.trim()} onClick=${act("reject", { reason: reason.trim() }, "Rejected.")} busyLabel="Rejecting…">Reject</${Action}>
  </div>`;
}

function Decide({ r, act }) {
  return html`<section class="panel r-act" aria-labelledby="r-act-title"><h2 id="r-act-title">Decide</h2>
    ${r.flags.length > 0 && html`<p class="r-why">Screening held this return: <${Flags} flags=${r.flags} /></p>`}
    <p><${Action} onClick=${act("approve", undefined, "Approved: the return label is made.")} busyLabel="Approving…">Approve and send the label</${Action}></p>
    <${RejectForm} act=${act} />
  </section>`;
}

function Receive({ r, act }) {
  const [units, setUnits] = useState(() => Object.fromEntries(r.lines.map((l) => [l.line_id, l.quantity])));
  const lines = r.lines.map((l) => ({ line_id: l.line_id, quantity: Number(units[l.line_id]) || 0 }));
  return html`<section class="panel r-act" aria-labelledby="r-act-title"><h2 id="r-act-title">Receive the parcel</h2>
    ${!r.label_url && html`<p class="r-why">No label yet (the carrier could not be reached).
      <${Action} kind="secondary" onClick=${act("label", undefined, "Label made.")} busyLabel="Making it…">Make the label again</${Action}></p>`}
    <p class="hint">Units that came back, per line; any unit not received counts as missing.</p>
    <div class="fields">${r.lines.map((l) => html`<${Field} label=${`Received of ${l.sku}`} type="number" min="0" max=${l.quantity}
      class="qty" value=${units[l.line_id]} hint=${`${l.quantity} asked`} onInput=${(e) => setUnits({ ...units, [l.line_id]: e.currentTarget.value })} />`)}</div>
    <p><${Action} onClick=${act("receive", { lines }, "Received: inspect the items.")} busyLabel="Saving…">Mark received</${Action}></p>
    <details class="r-more"><summary>Reject instead</summary><${RejectForm} act=${act} /></details>
  </section>`;
}

/** What a condition refunds of what was paid, as far as the page knows it (the server sets
 * it: opened items lose the store's restocking fee, damaged ones a share). */
function preview(condition, paid, currency) {
  if (condition === "original") return money(paid, currency);
  if (condition === "missing") return money(0, currency);
  if (condition === "opened") return `${money(paid, currency)} less the restocking fee`;
  return `part of ${money(paid, currency)}`;
}

function Inspect({ r, act }) {
  const received = r.lines.filter((l) => l.received_quantity > 0);
  const [seen, setSeen] = useState(() =>
    Object.fromEntries(received.map((l) => [l.line_id, { condition: "original", disposition: "", amount: "" }])),
  );
  const set = (id, change) => setSeen({ ...seen, [id]: { ...seen[id], ...change } });
  const body = {
    lines: received.map((l) => {
      const s = seen[l.line_id];
      const line = { line_id: l.line_id, condition: s.condition };
      if (s.disposition) line.disposition = s.disposition;
      if (s.amount.trim()) line.refund_amount = s.amount.trim();
      return line;
    }),
  };
  const missing = r.lines.filter((l) => l.received_quantity === 0);
  return html`<section class="panel r-act" aria-labelledby="r-act-title"><h2 id="r-act-title">Inspect</h2>
    <p class="hint">Original condition refunds in full; opened (unused) refunds less the restocking fee; damaged refunds in part; missing refunds nothing (BR010).</p>
    ${received.map((l) => {
      const s = seen[l.line_id];
      return html`<fieldset class="r-inspect"><legend>${l.received_quantity} × ${l.sku}</legend>
        <p class="muted r-what">${l.name} · paid ${money(l.paid_amount, r.currency)}</p>
        <div class="fields">
          <${Field} label=${html`Condition<span class="visually-hidden"> of ${l.sku}</span>`} as="select" value=${s.condition} hint=${CONDITIONS[s.condition].hint}
            onChange=${(e) => set(l.line_id, { condition: e.currentTarget.value })}>
            ${Object.entries(CONDITIONS).map(([code, cond]) => html`<option value=${code}>${cond.label}</option>`)}
          </${Field}>
          <${Field} label=${html`Goes to<span class="visually-hidden"> (${l.sku})</span>`} as="select" value=${s.disposition}
            onChange=${(e) => set(l.line_id, { disposition: e.currentTarget.value })}>
            <option value="">${["original", "opened"].includes(s.condition) ? "Back to stock" : "Write off"} (default)</option>
            ${Object.entries(DISPOSITIONS).map(([code, label]) => html`<option value=${code}>${label}</option>`)}
          </${Field}>
          <${Field} label=${html`Own refund<span class="visually-hidden"> for ${l.sku}</span>`} inputmode="decimal" value=${s.amount}
            hint="Optional; never the full price unless original."
            onInput=${(e) => set(l.line_id, { amount: e.currentTarget.value })} />
        </div>
        <p class="r-preview">Refund: <b>${s.amount.trim() ? money(s.amount.trim(), r.currency) : preview(s.condition, l.paid_amount, r.currency)}</b></p>
      </fieldset>`;
    })}
    ${missing.length > 0 && html`<p class="muted">Not in the parcel (nothing refunded): ${missing.map((l) => l.sku).join(", ")}.</p>`}
    <p><${Action} onClick=${act("inspect", body, "Inspected: the refund is computed.")} busyLabel="Saving…">Save the inspection</${Action}></p>
  </section>`;
}

/** Why an inspected return refunds less than was paid, in words. */
function deductions(r) {
  const cut = (condition) => r.lines.some((l) => l.condition === condition && Number(l.fee_amount) > 0);
  const why = [];
  if (cut("opened")) why.push("the restocking fee on opened items");
  if (cut("damaged")) why.push("the share kept of damaged items");
  if (why.length === 0) why.push("set at inspection");
  return why.join(" and ");
}

function Refund({ r, act }) {
  const exchange = r.resolution === "exchange";
  const [method, setMethod] = useState(r.resolution === "store_credit" ? "store_credit" : "original_payment");
  const c = r.currency;
  return html`<section class="panel r-act" aria-labelledby="r-act-title"><h2 id="r-act-title">${exchange ? "Send the replacement" : "Refund"}</h2>
    <p class="r-sum">${exchange ? "Worth" : "Refund"} <b>${money(r.refund_amount, c)}</b> of ${money(r.paid_amount, c)} paid${Number(r.fee_amount) > 0 ? html`: <b>${money(r.fee_amount, c)}</b> deducted (${deductions(r)})` : ", no restocking fee"}.</p>
    ${r.refund_note && html`<p class="r-why">${r.refund_note}</p>`}
    ${exchange
      ? html`<p class="hint">The items go back to stock and a replacement order is made for the shopper.</p>
        <p><${Action} onClick=${act("refund", undefined, "Done: the replacement order is made.")} busyLabel="Working…">Make the replacement order</${Action}></p>`
      : html`<fieldset class="plain r-resolution"><legend>Refund to</legend>
          <label class="r-choice"><input type="radio" name="method" value="original_payment" checked=${method === "original_payment"} onChange=${() => setMethod("original_payment")} />
            <span><b>Original payment</b><span class="hint">Back to the card (store credit if the card cannot take it).</span></span></label>
          <label class="r-choice"><input type="radio" name="method" value="store_credit" checked=${method === "store_credit"} onChange=${() => setMethod("store_credit")} />
            <span><b>Store credit</b><span class="hint">Added to the shopper's balance at once.</span></span></label>
        </fieldset>
        <p class="hint">The shopper chose ${resolutionLabel(r.resolution).toLowerCase()}.</p>
        <p><${Action} onClick=${act("refund", { method }, "Refund sent.")} busyLabel="Refunding…">Refund ${money(r.refund_amount, c)}</${Action}></p>`}
  </section>`;
}
