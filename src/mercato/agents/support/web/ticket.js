// One ticket for staff: who asked and how, the assistant's conversation it was handed off
// from, its messages (internal notes marked), a reply box (or an internal note), and its
// status, priority, category and assignee.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Due, Priority, Status, Thread } from "./parts.js";

const STATUSES = ["open", "assigned", "waiting", "solved"];
const PRIORITIES = ["urgent", "high", "normal", "low"];
const CATEGORIES = ["order", "payment", "shipping", "returns", "product", "account", "other"];

function Transcript({ entries }) {
  if (!entries.length) return null;
  return html`<details class="panel" open><summary><b>The conversation with the assistant</b>
    <span class="muted"> (${entries.length} messages, before the hand-off)</span></summary>
    <ol class="notes">${entries.map((e) => html`<li><b>${words(e.role)}</b> <span class="muted">${e.at ? when(e.at) : ""}</span><p>${e.text}</p></li>`)}</ol>
  </details>`;
}

function Reply({ ticket, onSent }) {
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const [problem, setProblem] = useState(null);
  const send = async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/support/tickets/${ticket.id}/messages`, { body: { body, internal } });
      setBody("");
      setInternal(false);
      await onSent();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<div class="panel"><h2>${internal ? "Internal note" : "Reply to the customer"}</h2>
    <div class="field"><label for="reply-body">Message</label>
      <textarea id="reply-body" rows="5" value=${body} onInput=${(e) => setBody(e.currentTarget.value)}></textarea></div>
    <label class="check"><input type="checkbox" checked=${internal} onChange=${(e) => setInternal(e.currentTarget.checked)} />
      Internal note (staff only, never shown to the customer)</label>
    <${ProblemBox} problem=${problem} />
    <${Action} kind=${internal ? "secondary" : "primary"} disabled=${!body.trim()} onClick=${send}>${internal ? "Add note" : "Send reply"}</${Action}>
  </div>`;
}

function Controls({ ticket, onSaved }) {
  const [problem, setProblem] = useState(null);
  const me = signedIn()?.user?.id;
  const change = (body) => async () => {
    setProblem(null);
    try {
      await api("PATCH", `/v1/support/tickets/${ticket.id}`, { body, headers: { "If-Match": `"${ticket.version}"` } });
      await onSaved();
    } catch (p) {
      setProblem(p);
    }
  };
  const choose = (name, label, options) => html`<${Field} label=${label} as="select" value=${ticket[name]}
    onChange=${(e) => change({ [name]: e.currentTarget.value })()}>
    ${options.map((o) => html`<option value=${o}>${words(o)}</option>`)}
  </${Field}>`;
  return html`<div class="panel"><h2>Ticket</h2>
    ${choose("status", "Status", STATUSES)}
    ${choose("priority", "Priority", PRIORITIES)}
    ${choose("category", "Category", CATEGORIES)}
    <p>Assignee: ${ticket.assignee_id ? (ticket.assignee_id === me ? "you" : html`<code>${ticket.assignee_id}</code>`) : html`<span class="muted">nobody</span>`}</p>
    <div class="inline-form">
      ${me && ticket.assignee_id !== me && html`<${Action} kind="secondary" onClick=${change({ assignee_id: me })}>Assign to me</${Action}>`}
      ${ticket.assignee_id && html`<${Action} kind="secondary" onClick=${change({ assignee_id: null })}>Unassign</${Action}>`}
    </div>
    <${ProblemBox} problem=${problem} />
    <h3 style="margin-top:16px">Service level</h3>
    <dl class="facts">
      <dt>First reply due</dt><dd>${when(ticket.first_response_due)}${ticket.first_response_breached ? html` <span class="badge bad">late</span>` : ""}</dd>
      <dt>Replied</dt><dd>${ticket.first_responded_at ? when(ticket.first_responded_at) : "not yet"}</dd>
      <dt>Solution due</dt><dd>${when(ticket.resolution_due)}${ticket.resolution_breached ? html` <span class="badge bad">late</span>` : ""}</dd>
    </dl>
  </div>`;
}

export function AdminTicket({ params }) {
  const ticket = useLoad(() => api("GET", `/v1/support/tickets/${encodeURIComponent(params.id)}`), [params.id]);
  if (ticket.loading && !ticket.data) return html`<${Page} title="Ticket"><${Loading} /></${Page}>`;
  if (ticket.problem && !ticket.data) return html`<${Page} title="Ticket"><${ProblemBox} problem=${ticket.problem} onRetry=${ticket.reload} /></${Page}>`;
  const t = ticket.data;
  const who = `${t.requester_user_id ? "a customer" : "a guest"}${t.email ? ` (${t.email})` : ""}`;
  return html`<${Page} title=${`${t.number}: ${t.subject}`} wide>
    <p><${Status} status=${t.status} /> <${Priority} priority=${t.priority} /> <${Due} ticket=${t} />
      <span class="muted"> · ${words(t.category)} · from ${who} by ${t.channel} · opened ${when(t.created_at)}</span></p>
    <div class="row">
      <div class="grow">
        <${Transcript} entries=${t.transcript} />
        <div class="panel"><h2>Messages</h2><${Thread} messages=${t.messages} /></div>
        <${Reply} ticket=${t} onSent=${ticket.reload} />
      </div>
      <aside class="side"><${Controls} key=${t.version} ticket=${t} onSaved=${ticket.reload} /></aside>
    </div>
    <p><${Link} to="/admin/support">All tickets</${Link}></p>
  </${Page}>`;
}
