// The returns queue for staff: one tab per step (requested, with the returns screening held
// highlighted and their flags named; approved, waiting for the parcel; received, waiting
// for inspection; inspected, waiting for the refund; refunded; rejected), newest first.
import { html, useEffect, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { day, money } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Flags, Status, reasonLabel, resolutionLabel } from "./parts.js";

const PAGE = 50;
export const TABS = [
  { status: "requested", label: "Requested", hint: "Waiting for a decision: screening held the flagged ones." },
  { status: "approved", label: "Approved", hint: "Label sent: waiting for the parcel." },
  { status: "received", label: "Received", hint: "In the warehouse: waiting for inspection." },
  { status: "inspected", label: "Inspected", hint: "Checked: waiting for the refund.", also: "refunding" },
  { status: "refunded", label: "Refunded", hint: "Done." },
  { status: "rejected", label: "Rejected", hint: "Not accepted." },
  { status: "cancelled", label: "Cancelled", hint: "Withdrawn by the shopper." },
];

async function load(statuses, cursor) {
  const pages = await Promise.all(statuses.map((status) => api("GET", `/v1/returns${toQuery({ status, limit: PAGE, cursor })}`)));
  const items = pages.flatMap((p) => p.items).sort((a, b) => (a.requested_at < b.requested_at ? 1 : -1));
  return { items, next_cursor: statuses.length === 1 ? pages[0].next_cursor : null };
}

/** Where a refunded return's money (or goods) went, in a few words. */
function outcome(r) {
  const went = [
    Number(r.refunded_to_payment) > 0 && "to the payment",
    Number(r.refunded_to_credit) > 0 && "to store credit",
    r.replacement_order_id && "replacement sent",
  ].filter(Boolean);
  return went.join(", ");
}

export function ReturnsQueue({ query }) {
  const tab = TABS.find((t) => t.status === query.get("status")) || TABS[0];
  const statuses = [tab.status, ...(tab.also ? [tab.also] : [])];
  const first = useLoad(() => load(statuses), [tab.status]);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  useEffect(() => setMore({ items: [], cursor: null, problem: null }), [tab.status, first.data]);
  const items = [...(first.data?.items || []), ...more.items];
  const cursor = more.cursor ?? first.data?.next_cursor;
  const next = async () => {
    try {
      const page = await load(statuses, cursor);
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor || "", problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const refunds = ["inspected", "refunded"].includes(tab.status);
  const flagged = items.filter((r) => r.flags.length > 0).length;
  return html`<${Page} title="Returns" wide>
    <nav class="r-tabs" aria-label="Returns by status">${TABS.map((t) => html`<a href=${`/admin/returns?status=${t.status}`}
      aria-current=${t === tab ? "page" : undefined}
      onClick=${(e) => { e.preventDefault(); navigate(`/admin/returns?status=${t.status}`); }}>${t.label}</a>`)}</nav>
    <p class="muted">${tab.hint}${tab.status === "requested" && flagged > 0 ? ` ${flagged} flagged.` : ""}</p>
    ${first.loading && !first.data && html`<${Loading} />`}
    <${ProblemBox} problem=${first.problem} onRetry=${first.reload} />
    ${first.data && items.length === 0 && html`<${Empty} title=${`No ${tab.label.toLowerCase()} returns.`} />`}
    ${items.length > 0 && html`<div class="table-wrap"><table class="r-queue">
      <thead><tr><th>Return</th><th>Order</th><th>Customer</th><th>Asked</th><th>Items and reasons</th><th>Resolution</th><th class="num">${refunds ? "Refund" : "Worth"}</th></tr></thead>
      <tbody>${items.map((r) => html`<tr class=${r.flags.length > 0 && r.status === "requested" ? "r-flagged" : ""}>
        <td class="r-nowrap"><${Link} to=${`/admin/returns/${encodeURIComponent(r.id)}`}>${r.number}</${Link}>
          ${r.flags.length > 0 && html`<div><${Flags} flags=${r.flags} /></div>`}
          ${r.late && html`<div><span class="badge warn">Late</span></div>`}
          ${r.status !== tab.status && html`<div><${Status} status=${r.status} /></div>`}</td>
        <td class="r-nowrap"><${Link} to=${`/admin/orders/${encodeURIComponent(r.order_id)}`}>${r.order_number}</${Link}></td>
        <td>${r.email}</td>
        <td class="r-nowrap">${day(r.requested_at)}</td>
        <td class="r-what-col">${r.lines.map((l) => html`<div class="r-item">${l.quantity} × ${l.name}<div class="muted">${reasonLabel(l.reason)}</div></div>`)}</td>
        <td>${resolutionLabel(r.resolution)}${r.status === "refunded" && html`<div class="muted">${outcome(r)}</div>`}</td>
        <td class="num">${money(["inspected", "refunding", "refunded"].includes(r.status) ? r.refund_amount : r.paid_amount, r.currency)}</td>
      </tr>`)}</tbody></table></div>`}
    <${ProblemBox} problem=${more.problem} />
    ${cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${next} busyLabel="Loading…">Show more</${Action}></div>`}
  </${Page}>`;
}
