// What the support pages share: badges for a ticket's status, priority and SLA, a message
// thread, and text shown as the paragraphs it was written in.
import { html } from "preact-htm";
import { signedIn } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";

const STATUS_TONES = { open: "warn", assigned: "info", waiting: "muted", solved: "good" };
const PRIORITY_TONES = { urgent: "bad", high: "warn", normal: "muted", low: "muted" };

export function Status({ status }) {
  return html`<span class=${`badge ${STATUS_TONES[status] || "muted"}`}>${words(status)}</span>`;
}

export function Priority({ priority }) {
  return html`<span class=${`badge ${PRIORITY_TONES[priority] || "muted"}`}>${words(priority)}</span>`;
}

/** When the next SLA step is due, and a badge when one is late. */
export function Due({ ticket }) {
  const first = !ticket.first_responded_at && ticket.status !== "solved";
  const due = first ? ticket.first_response_due : ticket.resolution_due;
  return html`<span>
    ${ticket.status === "solved" ? html`<span class="muted">solved ${when(ticket.solved_at)}</span>`
      : html`<span>${first ? "reply" : "solve"} by ${when(due)}</span>`}
    ${ticket.first_response_breached && html` <span class="badge bad">Reply late</span>`}
    ${ticket.resolution_breached && html` <span class="badge bad">Solution late</span>`}
  </span>`;
}

/** Text as its paragraphs (blank lines apart); never read as HTML. */
export function Paragraphs({ text }) {
  return String(text || "").split(/\n\s*\n/).map((p) => html`<p>${p}</p>`);
}

const NOTE = "background: var(--warn-bg); padding: 6px 10px; border-radius: 6px; margin-bottom: 6px";

function author(message, me) {
  if (message.author_kind === "customer") return me === "customer" ? "You" : "Customer";
  if (message.author_kind === "system") return "Mercato";
  if (me === "customer") return "Support team";
  return message.author_id && message.author_id === signedIn()?.user?.id ? "You" : "Staff";
}

/** A ticket's messages, oldest first; internal notes marked. */
export function Thread({ messages, me = "staff" }) {
  return html`<ol class="notes thread">${messages.map((m) => html`<li style=${m.internal ? NOTE : ""}>
    <b>${author(m, me)}</b> <span class="muted">${when(m.created_at)}</span>
    ${m.internal && html` <span class="badge warn">Internal note</span>`}
    <${Paragraphs} text=${m.body} />
  </li>`)}</ol>`;
}
