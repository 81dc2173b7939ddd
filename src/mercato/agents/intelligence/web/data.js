// The intelligence agent's data pages: the outside sources with their runs (run one now, add
// one, pause one), the product matches waiting for a reviewer (accept or reject), and the
// audit log of corrections and deletions of clean records, filtered by record, actor, action
// and time, with each record's lineage back to its raw payloads.
import { html, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { when, words } from "mercato/lib/format.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Tabs } from "./parts.js";

const KINDS = ["file", "url", "shopify", "mercato", "competitor"];

function Runs({ source }) {
  const runs = useLoad(() => api("GET", `/v1/intelligence/sources/${source.id}/runs${query({ limit: 5 })}`), [source.id, source.stamp]);
  if (runs.loading && !runs.data) return html`<${Loading} />`;
  if (!runs.data?.items.length) return html`<span class="muted">Never run.</span>`;
  return html`<ul class="i-runs">${runs.data.items.map((r) => html`<li>
    <${Badge} status=${r.status} /> ${when(r.started_at)}: ${r.fetched} fetched, ${r.stored} stored, ${r.rejected} rejected, ${r.duplicates} duplicates
    ${Object.keys(r.skipped).length > 0 && html`, skipped ${Object.entries(r.skipped).map(([k, n]) => `${n} (${words(k)})`).join(", ")}`}
    ${r.error && html`<div class="muted">${r.error}</div>`}
    ${r.errors.length > 0 && html`<details><summary>${r.errors.length} record errors</summary><ul>${r.errors.slice(0, 20).map((e) => html`<li><code>${JSON.stringify(e)}</code></li>`)}</ul></details>`}
  </li>`)}</ul>`;
}

function NewSource({ onMade }) {
  const [problem, setProblem] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    setProblem(null);
    try {
      const settings = f.settings.value.trim() ? JSON.parse(f.settings.value) : {};
      await api("POST", "/v1/intelligence/sources", {
        body: { kind: f.kind.value, name: f.name.value.trim(), settings, credential: f.credential.value.trim() || null,
          interval_seconds: f.interval.value ? Number(f.interval.value) * 3600 : null },
      });
      e.currentTarget.reset();
      onMade();
    } catch (p) {
      setProblem(p instanceof SyntaxError ? { title: "The settings are not JSON", detail: p.message } : p);
    }
  };
  return html`<details class="card"><summary>Add a source</summary>
    <form onSubmit=${submit} class="i-form">
      <${Field} label="Kind" as="select" name="kind">${KINDS.map((k) => html`<option value=${k}>${words(k)}</option>`)}</${Field}>
      <${Field} label="Name" name="name" required maxlength="120" />
      <${Field} label="Settings (JSON)" as="textarea" name="settings" hint='e.g. {"url": "https://shop.example.com"} or {"urls": […], "competitor": "Rival"}' />
      <${Field} label="Credential (the name of a secret in MERCATO_INTEL_CREDENTIALS)" name="credential" />
      <${Field} label="Every (hours)" name="interval" type="number" min="1" hint="Empty: only when run by hand" />
      <${ProblemBox} problem=${problem} />
      <button class="button primary" type="submit">Add source</button>
    </form></details>`;
}

export function SourcesPage() {
  const sources = useLoad(() => api("GET", "/v1/intelligence/sources"), []);
  const [stamp, setStamp] = useState(0);
  const [problem, setProblem] = useState(null);
  const act = (method, path, body) => async () => {
    setProblem(null);
    try {
      await api(method, path, { body });
      setStamp((n) => n + 1);
      sources.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="Sources" wide>
    <${Tabs} current="/admin/intelligence/sources" />
    <${NewSource} onMade=${sources.reload} />
    <${ProblemBox} problem=${sources.problem || problem} onRetry=${sources.reload} />
    ${sources.loading && !sources.data && html`<${Loading} />`}
    ${sources.data && sources.data.items.length === 0 && html`<${Empty} title="No source yet">Add a marketplace, another store, a file or a competitor's pages.</${Empty}>`}
    ${sources.data && sources.data.items.length > 0 && html`<div class="table-wrap"><table><thead><tr><th>Source</th><th>Schedule</th><th>Last runs</th><th></th></tr></thead>
      <tbody>${sources.data.items.map((s) => html`<tr>
        <td><b>${s.name}</b><div class="muted">${words(s.kind)}${s.enabled ? "" : " · paused"}</div></td>
        <td>${s.interval_seconds ? `every ${Math.round(s.interval_seconds / 360) / 10} h` : "by hand"}${s.next_run_at ? html`<div class="muted">next ${when(s.next_run_at)}</div>` : ""}</td>
        <td><${Runs} source=${{ ...s, stamp }} /></td>
        <td class="i-actions"><${Action} busyLabel="Running…" onClick=${act("POST", `/v1/intelligence/sources/${s.id}/runs`)}>Run now</${Action}>
          <${Action} kind="secondary" onClick=${act("PATCH", `/v1/intelligence/sources/${s.id}`, { enabled: !s.enabled })}>${s.enabled ? "Pause" : "Resume"}</${Action}></td>
      </tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

export function MatchesPage() {
  const [status, setStatus] = useState("pending");
  const found = useLoad(() => api("GET", `/v1/intelligence/matches${query({ status, limit: 50 })}`), [status]);
  const [problem, setProblem] = useState(null);
  const decide = (m, verdict) => async () => {
    setProblem(null);
    try {
      await api("POST", `/v1/intelligence/matches/${m.id}/${verdict}`);
      found.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="Product matches" wide>
    <${Tabs} current="/admin/intelligence/matches" />
    <div class="inline-form"><${Field} label="Show" as="select" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
      ${["pending", "accepted", "rejected"].map((s) => html`<option value=${s}>${words(s)}</option>`)}</${Field}></div>
    <${ProblemBox} problem=${found.problem || problem} onRetry=${found.reload} />
    ${found.loading && !found.data && html`<${Loading} />`}
    ${found.data && found.data.items.length === 0 && html`<${Empty} title=${status === "pending" ? "Nothing waits for review" : "None"} />`}
    ${found.data && found.data.items.length > 0 && html`<div class="table-wrap"><table><thead><tr><th>Outside item</th><th>Store product</th><th>How</th><th>Confidence</th><th></th></tr></thead>
      <tbody>${found.data.items.map((m) => html`<tr>
        <td><b>${m.record?.data?.title || m.record_id}</b><div class="muted">${[m.record?.data?.competitor, m.record?.data?.price && `${m.record.data.price} ${m.record.data.currency || ""}`, m.record?.data?.gtin && `GTIN ${m.record.data.gtin}`].filter(Boolean).join(" · ")}</div></td>
        <td><a href=${`/admin/intelligence/products/${m.product_id}`}>${m.product_id.slice(0, 8)}…</a></td>
        <td>${words(m.method)}</td><td><meter min="0" max="1" value=${m.confidence} title=${`${Math.round(m.confidence * 100)} %`}></meter> ${Math.round(m.confidence * 100)} %</td>
        <td class="i-actions">${m.status === "pending" ? html`<${Action} onClick=${decide(m, "accept")}>Accept</${Action}> <${Action} kind="secondary" onClick=${decide(m, "reject")}>Reject</${Action}>` : html`<${Badge} status=${m.status} />`}</td>
      </tr>`)}</tbody></table></div>`}
  </${Page}>`;
}

function Lineage({ recordId }) {
  const found = useLoad(() => api("GET", `/v1/intelligence/lineage/${encodeURIComponent(recordId)}`), [recordId]);
  if (found.loading) return html`<${Loading} />`;
  if (found.problem) return html`<${ProblemBox} problem=${found.problem} />`;
  const l = found.data;
  return html`<div class="i-lineage"><p>${words(l.kind)} from source ${l.source_id.slice(0, 8)}…, observed ${when(l.observed_at)}${l.flags.length ? `; flags: ${l.flags.map(words).join(", ")}` : ""}</p>
    <ol>${l.raw.map((r) => html`<li>${words(r.step)}: raw ${r.external_id} fetched ${when(r.fetched_at)} <code title="sha256">${r.checksum.slice(0, 12)}</code></li>`)}</ol></div>`;
}

export function AuditPage() {
  const [filters, setFilters] = useState({});
  const [open, setOpen] = useState(null);
  const found = useLoad(() => api("GET", `/v1/intelligence/audit${query({ ...filters, limit: 50 })}`), [JSON.stringify(filters)]);
  const submit = (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    setFilters({ record_id: f.record.value.trim() || undefined, actor: f.actor.value.trim() || undefined, action: f.action.value || undefined });
  };
  return html`<${Page} title="Audit log" wide>
    <${Tabs} current="/admin/intelligence/audit" />
    <form class="inline-form" onSubmit=${submit}>
      <${Field} label="Record" name="record" /><${Field} label="Who" name="actor" />
      <${Field} label="Action" as="select" name="action"><option value="">Any</option><option value="correct">Correct</option><option value="delete">Delete</option></${Field}>
      <button class="button secondary" type="submit">Filter</button>
    </form>
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.loading && !found.data && html`<${Loading} />`}
    ${found.data && found.data.items.length === 0 && html`<${Empty} title="No correction or deletion" />`}
    ${found.data && found.data.items.length > 0 && html`<div class="table-wrap"><table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Why</th><th>Record</th></tr></thead>
      <tbody>${found.data.items.map((a) => html`<tr>
        <td>${when(a.at)}</td><td>${a.actor}</td><td><${Badge} status=${a.action} /></td><td>${a.reason}</td>
        <td><button class="link" onClick=${() => setOpen(open === a.id ? null : a.id)} aria-expanded=${open === a.id}>${a.record_id.slice(0, 8)}…</button>
          ${open === a.id && html`<${Lineage} recordId=${a.record_id} /><details><summary>Before and after</summary><pre>${JSON.stringify({ before: a.before, after: a.after }, null, 2)}</pre></details>`}</td>
      </tr>`)}</tbody></table></div>`}
  </${Page}>`;
}
