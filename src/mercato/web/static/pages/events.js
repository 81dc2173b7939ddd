// The kernel's own pages (staff): the audit log (every event the store wrote, newest first,
// by type or aggregate) and the dead letters (events a handler gave up on) with redelivery.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { when } from "mercato/lib/format.js";
import { navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";

export function AuditLog({ query }) {
  const chosen = { type: query.get("type") || "", aggregate_id: query.get("aggregate_id") || "", order: "desc" };
  const [form, setForm] = useState(chosen);
  const events = useLoad(() => api("GET", `/v1/audit/events${toQuery({ ...chosen, limit: 100 })}`), [toQuery(chosen)]);
  const [open, setOpen] = useState(null);
  const search = (e) => {
    e.preventDefault();
    navigate(`/admin/events${toQuery({ type: form.type.trim(), aggregate_id: form.aggregate_id.trim() })}`);
  };
  return html`<${Page} title="Audit log">
    <form class="inline-form panel" role="search" onSubmit=${search}>
      <${Field} label="Event type" placeholder="order.placed" value=${form.type} onInput=${(e) => setForm({ ...form, type: e.currentTarget.value })} />
      <${Field} label="Aggregate id" value=${form.aggregate_id} onInput=${(e) => setForm({ ...form, aggregate_id: e.currentTarget.value })} />
      <button class="button secondary" type="submit">Search</button>
    </form>
    ${events.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${events.problem} onRetry=${events.reload} />
    ${events.data && events.data.items.length === 0 && html`<${Empty} title="No event matches." />`}
    ${events.data && events.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>When</th><th>Type</th><th>Aggregate</th><th>Correlation</th><th></th></tr></thead>
      <tbody>${events.data.items.map((e) => html`<tr><td>${when(e.occurred_at)}</td><td><code>${e.type}</code> v${e.version}</td>
        <td><code>${e.aggregate_id}</code></td><td><code>${e.correlation_id}</code></td>
        <td><button class="link-button" aria-expanded=${open === e.id} aria-label=${`Payload of ${e.type}, ${when(e.occurred_at)}`} onClick=${() => setOpen(open === e.id ? null : e.id)}>Payload</button></td></tr>
        ${open === e.id && html`<tr><td colspan="5"><pre class="preview">${JSON.stringify(e.payload, null, 2)}</pre></td></tr>`}`)}</tbody></table></div>`}
  </${Page}>`;
}

export function DeadLetters() {
  const letters = useLoad(() => api("GET", "/v1/audit/dead-letters?limit=100"), []);
  const [outcome, setOutcome] = useState(null);
  const redeliver = (letter) => async () => {
    setOutcome(null);
    try {
      const answer = await api("POST", `/v1/audit/dead-letters/${letter.id}/redeliver`);
      if (answer.outcome === "dead_lettered") {
        setOutcome({ problem: { title: `${letter.handler} failed on ${letter.event_type} again`, detail: "It is back among the dead letters, with the new error." } });
      } else {
        setOutcome({ done: `${letter.event_type}: ${answer.outcome === "duplicate" ? "already handled" : "handled"} by ${letter.handler}.` });
      }
      await letters.reload();
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  return html`<${Page} title="Dead letters">
    <p class="muted">Events a handler failed on after its retries. Fix the cause, then send each one again: handlers are idempotent.</p>
    ${outcome?.done && html`<p class="notice" role="status">${outcome.done}</p>`}
    <${ProblemBox} problem=${outcome?.problem || letters.problem} />
    ${letters.loading && html`<${Loading} />`}
    ${letters.data && letters.data.items.length === 0 && html`<${Empty} title="No dead letter: every event was handled." />`}
    ${letters.data && letters.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Failed</th><th>Event</th><th>Handler</th><th class="num">Attempts</th><th>Error</th><th></th></tr></thead>
      <tbody>${letters.data.items.map((l) => html`<tr><td>${when(l.failed_at)}</td><td><code>${l.event_type}</code></td>
        <td><code>${l.handler}</code></td><td class="num">${l.attempts}</td><td>${l.error}</td>
        <td><${Action} kind="secondary" onClick=${redeliver(l)} aria-label=${`Redeliver ${l.event_type} to ${l.handler}`}>Redeliver</${Action}></td></tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
