// Notifications for staff: the delivery log (every message, newest first, by channel, status,
// kind or recipient, with a chart of the statuses shown), one message (as sent: its email in
// a sandboxed frame, each status it went through, and "Send again" for admins when it failed),
// and the outbox of the local SMS and push providers (what a store without accounts "sent").
import { html, useEffect, useRef, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { CHANNELS, KINDS, MailFrame, RETRYABLE, STATUSES, Status, Tabs, channelLabel, kindLabel, tone } from "./parts.js";

const PAGE = 50;
const FILTERS = ["channel", "status", "kind", "recipient"];
const isAdmin = () => roles().includes("admin");

/** Counts per status of the messages shown, as bars (inline SVG, the console's chart look). */
function StatusChart({ items }) {
  const counts = STATUSES.map((s) => [s, items.filter((m) => m.status === s).length]);
  const top = Math.max(1, ...counts.map(([, n]) => n));
  const width = 560;
  const height = 120;
  const bar = (width - 20) / counts.length;
  const summary = counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
  return html`<figure class="diagram status-chart">
    <svg viewBox=${`0 0 ${width} ${height + 40}`} role="img" aria-labelledby="status-chart-title" class="chart">
      <title id="status-chart-title">Messages by status: ${summary || "none"}</title>
      <line x1="10" y1=${height} x2=${width - 10} y2=${height} class="axis" />
      ${counts.map(([status, n], i) => {
        const h = (n / top) * (height - 22);
        const x = 14 + i * bar;
        return html`<g>
          <rect x=${x} y=${height - h} width=${bar - 8} height=${h} class=${`bar ${tone(status)}`} />
          <text x=${x + (bar - 8) / 2} y=${height - h - 6} text-anchor="middle" class="value">${n}</text>
          <text x=${x + (bar - 8) / 2} y=${height + 16} text-anchor="middle" class="tick">${words(status)}</text>
        </g>`;
      })}
    </svg>
    <figcaption class="muted">Statuses of the ${items.length} message${items.length === 1 ? "" : "s"} listed below.</figcaption>
  </figure>`;
}

function Retry({ message, onDone }) {
  const [problem, setProblem] = useState(null);
  if (!isAdmin() || !RETRYABLE.includes(message.status)) return null;
  const retry = async () => {
    setProblem(null);
    try {
      await onDone(await api("POST", `/v1/notifications/messages/${encodeURIComponent(message.id)}/retry`));
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<span class="retry"><${Action} kind="secondary" aria-label=${`Send ${message.subject || "the message"} to ${message.recipient} again`}
    onClick=${retry} busyLabel="Queuing…">Send again</${Action}><${ProblemBox} problem=${problem} /></span>`;
}

export function DeliveryLog({ query }) {
  const chosen = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || ""]));
  const key = toQuery(chosen);
  const first = useLoad(() => api("GET", `/v1/notifications/messages${toQuery({ ...chosen, limit: PAGE })}`), [key]);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  const [recipient, setRecipient] = useState(chosen.recipient);
  const shown = useRef(key);
  shown.current = key; // an answer for other filters than these is dropped
  useEffect(() => setMore({ items: [], cursor: first.data?.next_cursor || null, problem: null }), [first.data]);

  const set = (name, value) => navigate(`/admin/notifications${toQuery({ ...chosen, [name]: value })}`);
  const showMore = async () => {
    try {
      const asked = key;
      const page = await api("GET", `/v1/notifications/messages${toQuery({ ...chosen, limit: PAGE, cursor: more.cursor })}`);
      if (shown.current !== asked) return;
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor, problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const select = (name, label, options, labelOf) => html`<${Field} label=${label} as="select" value=${chosen[name]}
    onChange=${(e) => set(name, e.currentTarget.value)}>
    <option value="">Any</option>
    ${[...new Set([...options, chosen[name]].filter(Boolean))].map((o) => html`<option value=${o}>${labelOf(o)}</option>`)}
  </${Field}>`;
  const items = first.data ? [...first.data.items, ...more.items] : [];
  const refresh = html`<${Action} kind="secondary" onClick=${() => first.reload()}>Refresh</${Action}>`;
  return html`<${Page} title="Notifications" wide actions=${refresh}>
    <${Tabs} current="/admin/notifications" />
    <form class="inline-form panel" role="search" aria-label="Filter messages"
      onSubmit=${(e) => { e.preventDefault(); set("recipient", recipient.trim()); }}>
      ${select("channel", "Channel", CHANNELS, channelLabel)}
      ${select("status", "Status", STATUSES, words)}
      ${select("kind", "Kind", Object.keys(KINDS), kindLabel)}
      <${Field} label="Recipient (exact)" type="search" value=${recipient} placeholder=${"ana@example.com, +1415…, user:<id>"}
        onInput=${(e) => setRecipient(e.currentTarget.value)} />
      <button class="button secondary" type="submit">Search</button>
    </form>
    ${first.loading && !first.data && html`<${Loading} />`}
    <${ProblemBox} problem=${first.problem} onRetry=${first.reload} />
    ${first.data && items.length === 0 && html`<${Empty} title="No message matches." />`}
    ${items.length > 0 && html`<${StatusChart} items=${items} />
      <div class="table-wrap"><table>
      <thead><tr><th>Created</th><th>Kind</th><th>Channel</th><th>Recipient</th><th>Subject</th><th>Status</th><th class="num">Attempts</th><th></th></tr></thead>
      <tbody>${items.map((m) => html`<tr>
        <td class="when"><${Link} to=${`/admin/notifications/messages/${m.id}`} aria-label=${`Message of ${when(m.created_at)}: ${m.subject}`}>${when(m.created_at)}</${Link}></td>
        <td>${kindLabel(m.kind)}</td><td>${channelLabel(m.channel)}</td>
        <td class="recipient breakable">${m.recipient}</td><td>${m.subject}</td>
        <td><${Status} status=${m.status} />${m.last_error && html`<div class="muted n-small">${m.last_error}</div>`}</td>
        <td class="num">${m.attempts}</td>
        <td><${Retry} message=${m} onDone=${() => first.reload()} /></td>
      </tr>`)}</tbody></table></div>`}
    <${ProblemBox} problem=${more.problem} />
    ${more.cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${showMore} busyLabel="Loading more…">Show more</${Action}></div>`}
  </${Page}>`;
}

export function MessagePage({ params }) {
  const message = useLoad(() => api("GET", `/v1/notifications/messages/${encodeURIComponent(params.id)}`), [params.id]);
  const back = html`<p><${Link} to="/admin/notifications">All messages</${Link}></p>`;
  if (message.loading && !message.data) return html`<${Page} title="Message"><${Loading} /></${Page}>`;
  if (message.problem && !message.data) return html`<${Page} title="Message"><${ProblemBox} problem=${message.problem} onRetry=${message.reload} />${back}</${Page}>`;
  const m = message.data;
  const blank = !m.body_text && !m.body_html;
  return html`<${Page} title=${m.subject || kindLabel(m.kind)} wide>
    <${Tabs} current="/admin/notifications" />
    <p><${Status} status=${m.status} /> <span class="muted">${kindLabel(m.kind)} by ${channelLabel(m.channel)} to ${m.recipient}</span>
      <${Retry} message=${m} onDone=${() => message.reload()} /></p>
    <div class="row">
      <div class="grow">
        <section class="panel" aria-labelledby="body-heading"><h2 id="body-heading">As sent</h2>
          ${blank && html`<p class="muted">Its body was blanked once it was sent: it held a one-time link.</p>`}
          ${m.body_html && html`<${MailFrame} html=${m.body_html} title=${`The email “${m.subject}” as sent`} />`}
          ${m.body_text && (m.body_html
            ? html`<details><summary>The plain text part</summary><pre class="preview">${m.body_text}</pre></details>`
            : html`<pre class="preview">${m.body_text}</pre>`)}
        </section>
      </div>
      <aside class="side">
        <section class="panel" aria-labelledby="facts-heading"><h2 id="facts-heading">Delivery</h2>
          <dl class="facts">
            <dt>Provider</dt><dd>${m.provider || "—"}</dd>
            <dt>Provider's id</dt><dd class="breakable">${m.provider_message_id ? html`<code>${m.provider_message_id}</code>` : "—"}</dd>
            <dt>Attempts</dt><dd>${m.attempts}</dd>
            <dt>Locale</dt><dd>${m.locale}</dd>
            <dt>Created</dt><dd>${when(m.created_at)}</dd>
            ${m.status === "queued" && html`<dt>Next try</dt><dd>${when(m.next_attempt_at)}</dd>`}
            <dt>Sent</dt><dd>${m.sent_at ? when(m.sent_at) : "not yet"}</dd>
            <dt>Delivered</dt><dd>${m.delivered_at ? when(m.delivered_at) : "not yet"}</dd>
            ${m.last_error && html`<dt>Last error</dt><dd class="breakable">${m.last_error}</dd>`}
          </dl>
        </section>
        <section class="panel" aria-labelledby="steps-heading"><h2 id="steps-heading">Steps</h2>
          <ol class="timeline">${m.steps.map((s) => html`<li class=${`step ${tone(s.status)}`}>
            <b>${words(s.status)}</b> <span class="muted">${when(s.at)}</span>
            ${s.detail && html`<div class="muted n-small breakable">${s.detail}</div>`}
          </li>`)}</ol>
        </section>
      </aside>
    </div>
    ${back}
  </${Page}>`;
}

const OUTBOX = [["sms", "SMS"], ["push", "Push"]];

export function Outbox({ query }) {
  const channel = query.get("channel") === "push" ? "push" : "sms";
  const first = useLoad(() => api("GET", `/v1/notifications/local/${channel}?limit=${PAGE}`), [channel]);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  useEffect(() => setMore({ items: [], cursor: first.data?.next_cursor || null, problem: null }), [first.data]);
  const showMore = async () => {
    try {
      const page = await api("GET", `/v1/notifications/local/${channel}${toQuery({ limit: PAGE, after: more.cursor })}`);
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor, problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const items = first.data ? [...first.data.items, ...more.items] : [];
  return html`<${Page} title="SMS and push outbox" wide>
    <${Tabs} current="/admin/notifications/outbox" />
    <p class="muted">What the built-in SMS and push providers “sent”: with no Twilio or Firebase account, each
      message is written to a log on the server instead, newest first.</p>
    <div class="inline-form outbox-bar">
      <nav class="pills" aria-label="Channel">${OUTBOX.map(([value, label]) => html`<${Link}
        to=${`/admin/notifications/outbox${value === "sms" ? "" : `?channel=${value}`}`}
        aria-current=${value === channel ? "page" : undefined}>${label}</${Link}>`)}</nav>
      <button class="button secondary" type="button" onClick=${() => first.reload()}>Refresh</button>
    </div>
    ${first.loading && !first.data && html`<${Loading} />`}
    <${ProblemBox} problem=${first.problem} onRetry=${first.reload} />
    ${first.data && items.length === 0 && html`<${Empty} title=${`No ${channel === "sms" ? "SMS" : "push notification"} yet.`}>
      A shopper who gave a phone number (or whose app registered a device) gets them here.</${Empty}>`}
    ${items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Sent</th><th>To</th><th>${channel === "sms" ? "Subject" : "Title"}</th><th>Text</th><th>Message</th></tr></thead>
      <tbody>${items.map((e) => html`<tr>
        <td class="when">${when(e.at)}</td><td class="recipient breakable">${e.to}</td><td>${e.subject ?? e.title ?? ""}</td>
        <td class="outbox-text">${e.text}</td>
        <td>${e.reference ? html`<${Link} to=${`/admin/notifications/messages/${encodeURIComponent(e.reference)}`}
          aria-label=${`The message ${e.reference} in the delivery log`}>In the log</${Link}>` : "—"}</td>
      </tr>`)}</tbody></table></div>`}
    <${ProblemBox} problem=${more.problem} />
    ${more.cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${showMore} busyLabel="Loading more…">Show more</${Action}></div>`}
  </${Page}>`;
}
