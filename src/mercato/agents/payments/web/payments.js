// Payments for staff: those held for a fraud review, each with the reasons the screen gave,
// approved (the order goes on) or rejected (voided, the order cancelled); and every recent
// payment.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { money, when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Badge, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function Payments() {
  const payments = useLoad(() => api("GET", "/v1/payments?limit=200"), []);
  const [outcome, setOutcome] = useState(null);
  const decide = (payment, decision) => async () => {
    setOutcome(null);
    try {
      await api("POST", `/v1/payments/${payment.id}/review`, { body: { decision } });
      setOutcome({ done: `${decision === "approve" ? "Approved" : "Rejected"}: ${money(payment.amount, payment.currency)}.` });
      await payments.reload();
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  const held = (payments.data?.items || []).filter((p) => p.review === "manual_review");
  return html`<${Page} title="Payments">
    ${outcome?.done && html`<p class="notice" role="status">${outcome.done}</p>`}
    <${ProblemBox} problem=${outcome?.problem || payments.problem} />
    ${payments.loading && html`<${Loading} />`}
    ${payments.data && html`<h2>Held for review (${held.length})</h2>
      ${held.length === 0 ? html`<${Empty} title="Nothing waits for a review." />` : html`<div class="table-wrap"><table>
        <thead><tr><th>Order</th><th class="num">Amount</th><th>Why it was held</th><th></th></tr></thead>
        <tbody>${held.map((p) => html`<tr><td><${Link} to=${`/admin/orders/${p.order_id}`}>order</${Link}> <span class="muted">${when(p.created_at)}</span></td>
          <td class="num">${money(p.amount, p.currency)}</td><td>${p.review_reasons.map(words).join("; ")}</td>
          <td><div class="inline-form"><${Action} kind="secondary" onClick=${decide(p, "approve")}>Approve</${Action}>
            <${Action} kind="danger" onClick=${decide(p, "reject")}>Reject</${Action}></div></td></tr>`)}</tbody></table></div>`}
      <h2 style="margin-top:16px">Recent payments</h2>
      <div class="table-wrap"><table><thead><tr><th>When</th><th>Status</th><th class="num">Amount</th><th>Card</th><th class="num">Captured</th><th class="num">Refunded</th><th>Order</th></tr></thead>
        <tbody>${payments.data.items.map((p) => html`<tr><td>${when(p.created_at)}</td><td><${Badge} status=${p.status} /></td>
          <td class="num">${money(p.amount, p.currency)}</td><td>${p.provider} ${p.card_brand || ""} ${p.card_last4 ? `…${p.card_last4}` : ""}</td>
          <td class="num">${money(p.captured_amount, p.currency)}</td><td class="num">${money(p.refunded_amount, p.currency)}</td>
          <td><${Link} to=${`/admin/orders/${p.order_id}`}>open</${Link}></td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
