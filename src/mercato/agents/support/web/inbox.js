// The support inbox: every ticket of the store (newest first, or the soonest due first),
// filtered by status, priority, assignee and SLA breach, with when each is due.
import { html } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Due, Priority, Status } from "./parts.js";

const STATUSES = ["", "open", "assigned", "waiting", "solved"];
const PRIORITIES = ["", "urgent", "high", "normal", "low"];
const ASSIGNEES = [["", "Anyone"], ["me", "Me"], ["none", "Unassigned"]];
const BREACHED = [["", "Any"], ["true", "Late"], ["false", "On time"]];
const SORTS = [["newest", "Newest first"], ["due", "Soonest due first"]];

function assignee(id) {
  if (!id) return html`<span class="muted">Unassigned</span>`;
  return id === signedIn()?.user?.id ? "You" : html`<code>${id.slice(0, 8)}</code>`;
}

export function Inbox({ query }) {
  const chosen = Object.fromEntries(["status", "priority", "assignee", "breached"].map((k) => [k, query.get(k) || ""]));
  chosen.sort = query.get("sort") || "newest";
  const tickets = useLoad(() => api("GET", `/v1/support/tickets${toQuery({ ...chosen, limit: 100 })}`), [toQuery(chosen)]);
  const set = (name, value) => navigate(`/admin/support${toQuery({ ...chosen, [name]: value })}`);
  const select = (name, label, options) => html`<${Field} label=${label} as="select" value=${chosen[name]}
    onChange=${(e) => set(name, e.currentTarget.value)}>
    ${options.map((o) => (Array.isArray(o) ? html`<option value=${o[0]}>${o[1]}</option>` : html`<option value=${o}>${o ? words(o) : "Any"}</option>`))}
  </${Field}>`;
  return html`<${Page} title="Support" actions=${html`<${Link} to="/admin/support/faq">Edit the FAQ</${Link}>`}>
    <form class="inline-form panel" aria-label="Filter tickets" onSubmit=${(e) => e.preventDefault()}>
      ${select("status", "Status", STATUSES)}
      ${select("priority", "Priority", PRIORITIES)}
      ${select("assignee", "Assignee", ASSIGNEES)}
      ${select("breached", "SLA", BREACHED)}
      ${select("sort", "Order", SORTS)}
    </form>
    ${tickets.loading && !tickets.data && html`<${Loading} />`}
    <${ProblemBox} problem=${tickets.problem} onRetry=${tickets.reload} />
    ${tickets.data && tickets.data.items.length === 0 && html`<${Empty} title="No ticket matches." />`}
    ${tickets.data && tickets.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Ticket</th><th>Status</th><th>Priority</th><th>Category</th><th>Due</th><th>Assignee</th></tr></thead>
      <tbody>${tickets.data.items.map((t) => html`<tr>
        <td><${Link} to=${`/admin/support/tickets/${t.id}`}>${t.number}</${Link}><div>${t.subject}</div>
          <div class="muted">${words(t.channel)}${t.conversation_id ? " · from the assistant" : ""}</div></td>
        <td><${Status} status=${t.status} /></td><td><${Priority} priority=${t.priority} /></td>
        <td>${words(t.category)}</td><td><${Due} ticket=${t} /></td><td>${assignee(t.assignee_id)}</td>
      </tr>`)}</tbody></table></div>`}
    ${tickets.data?.next_cursor && html`<p class="muted">Showing the first 100; narrow the filters to see the others.</p>`}
  </${Page}>`;
}
