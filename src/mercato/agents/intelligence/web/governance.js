// Settings & usage (/admin/intelligence/settings): the caller's preferences (the KPIs and goals
// their answers are ordered by, marketplaces, margin floor, report detail), the month's token
// usage (by day, user, purpose and model) against the budgets, which admins set, and, for
// admins, the alerts (acknowledged with a note) and how long each kind of data is kept.
import { html, useState } from "preact-htm";
import { api, query } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { day, when, words } from "mercato/lib/format.js";
import { Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Tabs, Tag } from "./reports.js";

// what memory/preferences.py accepts (KPIS, GOALS, DETAILS)
const KPIS = ["revenue", "units_sold", "margin", "price_position", "rating", "sentiment", "stock_cover", "return_rate"];
const GOALS = ["grow_revenue", "protect_margin", "clear_stock", "improve_reviews", "win_on_price", "grow_marketplace"];
const DETAILS = ["brief", "standard", "detailed"];
const FIELDS = ["kpis", "marketplaces", "goals", "margin_floor_percent", "report_detail"];

const tokens = (n) => Number(n || 0).toLocaleString();

/** The field a 422 names: ours (`field`) or the request validation's (`loc`). */
function fieldErrors(problem) {
  if (!problem) return {};
  if (problem.body?.field) return { [problem.body.field]: problem.detail };
  const out = {};
  for (const [name, message] of Object.entries(problem.fields?.() || {})) {
    const field = FIELDS.find((f) => name === f || name.startsWith(`${f}.`));
    if (field && !out[field]) out[field] = message;
  }
  return out;
}

function Checks({ legend, name, values, chosen, onChange, error }) {
  const toggle = (value) => (e) =>
    onChange(e.currentTarget.checked ? [...chosen.filter((v) => v !== value), value] : chosen.filter((v) => v !== value));
  const id = `pref-${name}`;
  return html`<fieldset class=${error ? "i-checks invalid" : "i-checks"} aria-describedby=${error ? `${id}-error` : undefined}>
    <legend>${legend}</legend>
    <div class="i-check-grid">${values.map((v) => html`<label class="check"><input type="checkbox" name=${name} value=${v} checked=${chosen.includes(v)} onChange=${toggle(v)} /> ${words(v)}
      ${chosen.includes(v) && name === "kpis" && html`<span class="muted i-small">(${chosen.indexOf(v) + 1})</span>`}</label>`)}</div>
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </fieldset>`;
}

function PreferencesForm() {
  const found = useLoad(() => api("GET", "/v1/intelligence/preferences"), []);
  const [form, setForm] = useState(null);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(null);
  const [busy, setBusy] = useState(false);
  const prefs = form || (found.data && {
    kpis: found.data.kpis, goals: found.data.goals, marketplaces: found.data.marketplaces.join(", "),
    margin_floor_percent: found.data.margin_floor_percent ?? "", report_detail: found.data.report_detail,
  });
  const set = (patch) => {
    setForm({ ...prefs, ...patch });
    setSaved(null);
  };
  const errors = fieldErrors(problem);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const floor = String(prefs.margin_floor_percent).trim();
      const answer = await api("PUT", "/v1/intelligence/preferences", {
        body: {
          kpis: prefs.kpis, goals: prefs.goals, report_detail: prefs.report_detail,
          marketplaces: prefs.marketplaces.split(",").map((m) => m.trim()).filter(Boolean),
          margin_floor_percent: floor === "" ? null : floor,
        },
      });
      setForm({ ...prefs, marketplaces: answer.marketplaces.join(", "), margin_floor_percent: answer.margin_floor_percent ?? "" });
      setSaved(`Saved ${when(answer.updated_at)}.`);
    } catch (p) {
      setProblem(p);
    } finally {
      setBusy(false);
    }
  };
  const unplaced = problem && Object.keys(errors).length === 0;
  return html`<section class="panel i-settings-card" aria-labelledby="prefs-head">
    <h2 id="prefs-head">Your preferences</h2>
    <p class="muted">Answers show your KPIs first, rank actions by your goals, and respect your margin floor.</p>
    ${found.loading && !prefs && html`<${Loading} />`}
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${prefs && html`<form onSubmit=${submit} class="i-prefs">
      <${Checks} legend="KPIs you watch (shown first, in the order ticked)" name="kpis" values=${KPIS} chosen=${prefs.kpis} onChange=${(kpis) => set({ kpis })} error=${errors.kpis} />
      <${Checks} legend="Your goals" name="goals" values=${GOALS} chosen=${prefs.goals} onChange=${(goals) => set({ goals })} error=${errors.goals} />
      <div class="fields">
        ${field("Marketplaces", "marketplaces", errors, html`<input id="pref-marketplaces" value=${prefs.marketplaces} placeholder="amazon, ebay, own_store"
          aria-invalid=${errors.marketplaces ? "true" : undefined} aria-describedby=${errors.marketplaces ? "pref-marketplaces-error" : "pref-marketplaces-hint"}
          onInput=${(e) => set({ marketplaces: e.currentTarget.value })} />`, "Comma separated; at most 10")}
        ${field("Margin floor (%)", "margin_floor_percent", errors, html`<input id="pref-margin_floor_percent" inputmode="decimal" value=${prefs.margin_floor_percent} placeholder="none"
          aria-invalid=${errors.margin_floor_percent ? "true" : undefined} aria-describedby=${errors.margin_floor_percent ? "pref-margin_floor_percent-error" : "pref-margin_floor_percent-hint"}
          onInput=${(e) => set({ margin_floor_percent: e.currentTarget.value })} />`, "0 to 90; empty: none")}
        ${field("Report detail", "report_detail", errors, html`<select id="pref-report_detail" value=${prefs.report_detail}
          aria-invalid=${errors.report_detail ? "true" : undefined} aria-describedby=${errors.report_detail ? "pref-report_detail-error" : undefined}
          onChange=${(e) => set({ report_detail: e.currentTarget.value })}>${DETAILS.map((d) => html`<option value=${d}>${words(d)}</option>`)}</select>`)}
      </div>
      <div class="i-ask-row">
        <button class="button primary" type="submit" disabled=${busy} aria-busy=${busy}>${busy ? "Saving…" : "Save preferences"}</button>
        <span role="status" class="i-saved">${saved || ""}</span>
      </div>
      ${unplaced && html`<${ProblemBox} problem=${problem} />`}
      ${problem && !unplaced && html`<p class="field-error" role="alert">Not saved: ${problem.detail || problem.title}</p>`}
    </form>`}
  </section>`;
}

function field(label, name, errors, control, hint) {
  const error = errors[name];
  return html`<div class=${error ? "field invalid" : "field"}>
    <label for=${`pref-${name}`}>${label}</label>${control}
    ${hint && !error && html`<p class="hint" id=${`pref-${name}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`pref-${name}-error`}>${error}</p>`}
  </div>`;
}

/** A bar of a budget's use: the warning colour from `warn` %, the bad one when spent. */
function BudgetMeter({ status, label, warn }) {
  if (!status) return null;
  const pct = Math.min(100, Math.round((status.ratio || 0) * 100));
  const tone = status.exceeded ? "bad" : status.ratio * 100 >= warn ? "warn" : "good";
  const said = `${label}: ${tokens(status.used)} of ${tokens(status.limit)} tokens (${pct} %)${status.exceeded ? ", spent: Deep mode is refused" : status.warning ? ", nearly spent" : ""}`;
  return html`<div class="i-budget">
    <div class="i-budget-head"><b>${label}</b> <span>${tokens(status.used)} / ${tokens(status.limit)} tokens · ${pct} %</span>
      ${status.exceeded ? html`<${Tag} tone="bad" label="Spent" />` : status.warning ? html`<${Tag} tone="warn" label="Nearly spent" />` : null}</div>
    <div class=${`i-bar ${tone}`} role="img" aria-label=${said}><span style=${`width:${pct}%`}></span></div>
  </div>`;
}

function DayBars({ days, label }) {
  if (!days.length) return html`<p class="muted">No token used this month.</p>`;
  const w = 640, h = 140, left = 40, bottom = 22, top = 8;
  const high = Math.max(1, ...days.map((d) => d.tokens));
  const step = (w - left - 8) / days.length;
  const every = Math.max(1, Math.ceil(days.length / 8));
  return html`<svg class="i-chart" viewBox=${`0 0 ${w} ${h}`} width="100%" role="img" aria-label=${label}>
    <line x1=${left} x2=${w - 8} y1=${h - bottom} y2=${h - bottom} class="grid" />
    <text x=${left - 6} y=${top + 8} text-anchor="end">${tokens(high)}</text>
    ${days.map((d, i) => {
      const bar = ((h - top - bottom) * d.tokens) / high;
      return html`<rect x=${left + i * step + 1} y=${h - bottom - bar} width=${Math.max(1, step - 2)} height=${bar} class="bar"><title>${d.key}: ${tokens(d.tokens)} tokens, ${d.calls} calls</title></rect>`;
    })}
    ${days.map((d, i) => (i % every === 0 ? html`<text x=${left + i * step + step / 2} y=${h - 6} text-anchor="middle">${d.key.slice(5)}</text>` : null))}
  </svg>`;
}

function Shares({ title, rows }) {
  return html`<div class="i-shares"><h3>${title}</h3>
    ${rows.length === 0 ? html`<p class="muted">None.</p>` : html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">${title.replace(/^By /, "").replace(/^./, (c) => c.toUpperCase())}</th><th class="num" scope="col">Calls</th><th class="num" scope="col">In</th><th class="num" scope="col">Out</th><th class="num" scope="col">Tokens</th></tr></thead>
      <tbody>${rows.map((s) => html`<tr><td>${s.key}</td><td class="num">${tokens(s.calls)}</td><td class="num">${tokens(s.input_tokens)}</td><td class="num">${tokens(s.output_tokens)}</td><td class="num">${tokens(s.tokens)}</td></tr>`)}</tbody>
    </table></div>`}</div>`;
}

function BudgetForm({ budget, onSaved }) {
  const [store, setStore] = useState(String(budget.store_monthly_tokens));
  const [user, setUser] = useState(budget.user_monthly_tokens === null ? "" : String(budget.user_monthly_tokens));
  const [problem, setProblem] = useState(null);
  const [done, setDone] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    try {
      await api("PUT", "/v1/intelligence/budget", { body: { scope: "store", monthly_tokens: Number(store) } });
      const answer = await api("PUT", "/v1/intelligence/budget", { body: { scope: "user", monthly_tokens: user.trim() === "" ? null : Number(user) } });
      setDone("Budgets saved.");
      onSaved(answer);
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<form class="inline-form i-budget-form" onSubmit=${submit} aria-label="Monthly budgets">
    <div class="field"><label for="budget-store">Store, tokens a month</label>
      <input id="budget-store" type="number" min="0" step="1000" required value=${store} onInput=${(e) => setStore(e.currentTarget.value)} /></div>
    <div class="field"><label for="budget-user">Each user, tokens a month</label>
      <input id="budget-user" type="number" min="0" step="1000" placeholder="no limit" value=${user} onInput=${(e) => setUser(e.currentTarget.value)} /></div>
    <button class="button secondary" type="submit">Save budgets</button>
    <span role="status" class="i-saved">${done || ""}</span>
    <${ProblemBox} problem=${problem} />
  </form>`;
}

function UsageCard() {
  const usage = useLoad(() => api("GET", "/v1/intelligence/usage"), []);
  const budget = useLoad(() => api("GET", "/v1/intelligence/budget"), []);
  const admin = roles().includes("admin");
  const u = usage.data, b = budget.data;
  const warn = b?.warn_percent ?? 80;
  const status = b?.status || u?.budget;
  return html`<section class="panel i-settings-card" aria-labelledby="usage-head">
    <h2 id="usage-head">Token usage this month</h2>
    ${(usage.loading || budget.loading) && !u && html`<${Loading} />`}
    <${ProblemBox} problem=${usage.problem || budget.problem} onRetry=${() => { usage.reload(); budget.reload(); }} />
    ${u && html`<p><b class="i-big">${tokens(u.total.tokens)}</b> tokens in ${tokens(u.total.calls)} language-model calls${" "}
      <span class="muted">(${u.whose === "store" ? "the whole store" : "yours"}, ${day(u.start)} to ${day(new Date(new Date(u.end) - 1).toISOString())})</span></p>
      <${DayBars} days=${u.by_day} label=${`Tokens by day: ${u.by_day.map((d) => `${d.key} ${tokens(d.tokens)}`).join(", ") || "none"}`} />`}
    ${status && html`<${BudgetMeter} status=${status.store} label="Store budget" warn=${warn} />
      ${status.user && html`<${BudgetMeter} status=${status.user} label="Your budget" warn=${warn} />`}
      <p class="muted i-small">Warning from ${warn} % used; a spent budget refuses Deep questions until the month ends (Quick ones still answer).</p>`}
    ${b && admin && html`<details class="i-edit"><summary>Change the budgets</summary><${BudgetForm} budget=${b} onSaved=${() => { budget.reload(); usage.reload(); }} /></details>`}
    ${b && !admin && html`<p class="muted i-small">Store budget ${tokens(b.store_monthly_tokens)} tokens a month${b.user_monthly_tokens !== null ? `, ${tokens(b.user_monthly_tokens)} for each user` : ""}. Admins change them.</p>`}
    ${u && u.total.calls > 0 && html`<div class="i-grid3">
      <${Shares} title="By user" rows=${u.by_user} /><${Shares} title="By purpose" rows=${u.by_purpose} /><${Shares} title="By model" rows=${u.by_model} />
    </div>`}
  </section>`;
}

function AlertRow({ alert, onChange }) {
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState(null);
  const acknowledge = async (e) => {
    e.preventDefault();
    setProblem(null);
    try {
      const answer = await api("POST", `/v1/intelligence/alerts/${encodeURIComponent(alert.id)}/acknowledge`, { body: { note: note.trim() || null } });
      setAsking(false);
      onChange(answer);
    } catch (p) {
      setProblem(p);
    }
  };
  const diagnostics = Object.keys(alert.diagnostics || {}).length > 0;
  return html`<tr>
    <td data-label="Severity"><${Tag} status=${alert.severity} label=${words(alert.severity)} /></td>
    <td data-label="Alert"><b>${alert.title}</b><div class="muted i-small">${words(alert.kind)}</div>
      ${diagnostics && html`<details><summary>Diagnostics</summary><pre class="preview">${JSON.stringify(alert.diagnostics, null, 2)}</pre></details>`}
      ${alert.note && html`<div class="i-small">Note: ${alert.note}</div>`}</td>
    <td class="num" data-label="Times">${alert.count}</td>
    <td class="nowrap" data-label="First">${when(alert.first_at)}${alert.last_at !== alert.first_at ? html`<div class="muted i-small">last ${when(alert.last_at)}</div>` : ""}</td>
    <td data-label="Status">${alert.status === "acknowledged"
      ? html`<${Tag} status="acknowledged" /><div class="muted i-small">${when(alert.acknowledged_at)}</div>`
      : asking
        ? html`<form class="i-ack" onSubmit=${acknowledge}>
            <label for=${`ack-${alert.id}`}>Note (optional)</label>
            <input id=${`ack-${alert.id}`} maxlength="1000" value=${note} onInput=${(e) => setNote(e.currentTarget.value)} />
            <div><button class="button primary" type="submit">Acknowledge</button> <button class="button secondary" type="button" onClick=${() => setAsking(false)}>Cancel</button></div>
            <${ProblemBox} problem=${problem} /></form>`
        : html`<button class="button secondary" type="button" aria-label=${`Acknowledge: ${alert.title}`} onClick=${() => setAsking(true)}>Acknowledge</button>`}</td>
  </tr>`;
}

function AlertsCard() {
  const [status, setStatus] = useState("open");
  const [extra, setExtra] = useState({ items: [], cursor: undefined });
  const [changed, setChanged] = useState({});
  const found = useLoad(() => api("GET", `/v1/intelligence/alerts${query({ status, limit: 50 })}`), [status]);
  const items = [...(found.data?.items || []), ...extra.items].map((a) => changed[a.id] || a);
  const next = extra.cursor === undefined ? found.data?.next_cursor : extra.cursor;
  const more = async () => {
    const page = await api("GET", `/v1/intelligence/alerts${query({ status, limit: 50, cursor: next })}`);
    setExtra({ items: [...extra.items, ...page.items], cursor: page.next_cursor });
  };
  const choose = (e) => {
    setStatus(e.currentTarget.value);
    setExtra({ items: [], cursor: undefined });
  };
  return html`<section class="panel i-settings-card" aria-labelledby="alerts-head">
    <div class="i-card-head"><h2 id="alerts-head">Alerts</h2>
      <div class="field"><label for="alert-status">Show</label>
        <select id="alert-status" value=${status} onChange=${choose}>${["open", "acknowledged", "all"].map((s) => html`<option value=${s}>${words(s)}</option>`)}</select></div></div>
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.loading && !found.data && html`<${Loading} />`}
    ${found.data && items.length === 0 && html`<${Empty} title=${status === "open" ? "No open alert" : status === "acknowledged" ? "No acknowledged alert" : "No alert"}>Alerts come from budgets nearly spent, slow answers, failing analyses and storage thresholds.</${Empty}>`}
    ${items.length > 0 && html`<div class="table-wrap"><table class="i-alerts i-stack"><thead><tr><th scope="col">Severity</th><th scope="col">Alert</th><th class="num" scope="col">Times</th><th scope="col">First</th><th scope="col">Status</th></tr></thead>
      <tbody>${items.map((a) => html`<${AlertRow} key=${a.id} alert=${a} onChange=${(row) => setChanged({ ...changed, [row.id]: row })} />`)}</tbody></table></div>`}
    ${next && html`<div class="pager"><button class="button secondary" type="button" onClick=${more}>More alerts</button></div>`}
  </section>`;
}

function RetentionCard() {
  const found = useLoad(() => api("GET", "/v1/intelligence/retention"), []);
  const r = found.data;
  return html`<section class="panel i-settings-card" aria-labelledby="retention-head">
    <h2 id="retention-head">Data kept</h2>
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.loading && !r && html`<${Loading} />`}
    ${r && html`<p>Raw records ${r.policy.raw_days} days, processed ones ${r.policy.processed_days} days, reports ${r.policy.reports_days} days; older ones are archived under <code>${r.archive_location}</code>.</p>
      <div class="table-wrap"><table><thead><tr><th scope="col">Kind</th><th class="num" scope="col">Rows</th><th class="num" scope="col">Size</th><th class="num" scope="col">Alert from</th></tr></thead>
      <tbody>${r.storage.map((k) => html`<tr><td>${words(k.kind)}</td><td class="num">${tokens(k.rows)}</td><td class="num">${(k.approx_bytes / 1024).toLocaleString(undefined, { maximumFractionDigits: 0 })} KiB</td>
        <td class="num">${k.threshold_rows === null ? "—" : tokens(k.threshold_rows)}</td></tr>`)}</tbody></table></div>`}
  </section>`;
}

export function SettingsPage() {
  const admin = roles().includes("admin");
  return html`<${Page} title="Settings & usage" wide>
    <${Tabs} current="/admin/intelligence/settings" />
    <div class="i-grid"><${PreferencesForm} /><${UsageCard} /></div>
    ${admin && html`<${AlertsCard} /><${RetentionCard} />`}
  </${Page}>`;
}
