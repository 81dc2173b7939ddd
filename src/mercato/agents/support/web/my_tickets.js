// A shopper's tickets (a guest's: those of their session) and one ticket's conversation with
// the support team, with a box to answer.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { credentials } from "mercato/lib/credentials.js";
import { day, when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Status, Thread } from "./parts.js";

export function MyTickets() {
  const anyone = Object.keys(credentials()).length > 0;
  const tickets = useLoad(() => (anyone ? api("GET", "/v1/support/tickets?limit=100") : Promise.resolve({ items: [] })), []);
  return html`<${Page} title="Your tickets">
    ${tickets.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${tickets.problem} onRetry=${tickets.reload} />
    ${tickets.data && tickets.data.items.length === 0 && html`<${Empty} title="No tickets yet.">
      Questions? <${Link} to="/shop/help">Find an answer or contact us</${Link}>.</${Empty}>`}
    ${tickets.data && tickets.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Ticket</th><th>Subject</th><th>Opened</th><th>Status</th></tr></thead>
      <tbody>${tickets.data.items.map((t) => html`<tr><td><${Link} to=${`/account/tickets/${t.id}`}>${t.number}</${Link}></td>
        <td>${t.subject}</td><td>${day(t.created_at)}</td><td><${Status} status=${t.status} /></td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function MyTicket({ params }) {
  const ticket = useLoad(() => api("GET", `/v1/support/tickets/${encodeURIComponent(params.id)}`), [params.id]);
  const [body, setBody] = useState("");
  const [problem, setProblem] = useState(null);
  if (ticket.loading && !ticket.data) return html`<${Page} title="Ticket"><${Loading} /></${Page}>`;
  if (ticket.problem && !ticket.data) return html`<${Page} title="Ticket"><${ProblemBox} problem=${ticket.problem} onRetry=${ticket.reload} /></${Page}>`;
  const t = ticket.data;
  const send = async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/support/tickets/${t.id}/messages`, { body: { body } });
      setBody("");
      await ticket.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title=${`${t.number}: ${t.subject}`}>
    <p><${Status} status=${t.status} /> <span class="muted">${words(t.category)} · opened ${when(t.created_at)}</span></p>
    ${t.status === "waiting" && html`<p class="notice" role="status">We answered: reply below if you need anything else.</p>`}
    <div class="panel"><${Thread} messages=${t.messages} me="customer" /></div>
    <div class="panel"><div class="field"><label for="ticket-reply">Your message</label>
      <textarea id="ticket-reply" rows="4" value=${body} onInput=${(e) => setBody(e.currentTarget.value)}></textarea></div>
      <${ProblemBox} problem=${problem} />
      <${Action} disabled=${!body.trim()} onClick=${send}>Send</${Action}>
      ${t.status === "solved" && html`<p class="muted">This ticket is solved; a message opens it again.</p>`}</div>
    <p><${Link} to="/account/tickets">All your tickets</${Link}></p>
  </${Page}>`;
}
