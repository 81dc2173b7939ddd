// The model registry (/admin/intelligence/models): each task's model (sentiment, demand), the
// version that serves, its score over time against the baseline with the drift limit drawn,
// its versions (promote a candidate, roll back to a retired one), and buttons to evaluate
// now and to retrain.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { roles } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";
import { Action, Badge, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Tabs } from "./parts.js";

const score = (metric, value) =>
  value === null || value === undefined ? "—" : metric === "mape" ? `${(value * 100).toFixed(1)} % MAPE` : `${value.toFixed(3)} F1`;

/** The evaluations' scores, oldest first, as a line over the baseline and its drift limit. */
function ScoreChart({ model }) {
  const points = model.evaluations.filter((e) => e.value !== null).slice().reverse();
  if (points.length < 2) return html`<p class="muted">The chart appears after two scored evaluations.</p>`;
  const w = 520, h = 140, pad = 28;
  const values = points.map((e) => e.value);
  const baseline = points[points.length - 1].baseline;
  const limit = baseline === null ? null : model.direction === "higher" ? baseline * 0.9 : baseline * 1.1;
  const all = [...values, ...(baseline === null ? [] : [baseline, limit])];
  const lo = Math.min(...all) * 0.95, hi = Math.max(...all) * 1.05 || 1;
  const x = (i) => pad + (i * (w - 2 * pad)) / (points.length - 1);
  const y = (v) => h - pad - ((v - lo) / (hi - lo || 1)) * (h - 2 * pad);
  const line = points.map((e, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(e.value).toFixed(1)}`).join(" ");
  const label = `${model.task}: ${points.length} evaluations, latest ${score(model.metric, values[values.length - 1])}`;
  return html`<svg class="score-chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${label} width="100%">
    ${baseline !== null && html`<line x1=${pad} x2=${w - pad} y1=${y(baseline)} y2=${y(baseline)} class="baseline"><title>baseline ${score(model.metric, baseline)}</title></line>
      <line x1=${pad} x2=${w - pad} y1=${y(limit)} y2=${y(limit)} class="limit"><title>drift beyond ${score(model.metric, limit)}</title></line>`}
    <path d=${line} class="score" fill="none" />
    ${points.map((e, i) => html`<circle cx=${x(i)} cy=${y(e.value)} r="4" class=${e.outcome}><title>${when(e.evaluated_at)}: ${score(model.metric, e.value)} (${words(e.outcome)}, ${e.samples} predictions)</title></circle>`)}
  </svg>`;
}

function ModelCard({ model, reload }) {
  const [problem, setProblem] = useState(null);
  const manage = roles().includes("admin");
  const act = (method, path, body) => async () => {
    setProblem(null);
    try {
      await api(method, path, { body });
      reload();
    } catch (p) {
      setProblem(p);
    }
  };
  const latest = model.evaluations[0];
  return html`<section class="card model-card">
    <h2>${words(model.task)} <span class="muted">· ${model.name}</span></h2>
    <p>Version <b>${model.active_version}</b> serves. ${model.predictions} predictions tracked, ${model.resolved} with what actually happened.
      ${latest ? html` Last evaluated ${when(latest.evaluated_at)}: ${score(model.metric, latest.value)} <${Badge} status=${latest.outcome} />.` : " Not evaluated yet."}</p>
    <${ScoreChart} model=${model} />
    <${ProblemBox} problem=${problem} />
    ${manage && html`<div class="inline-form">
      <${Action} kind="secondary" busyLabel="Evaluating…" onClick=${act("POST", `/v1/intelligence/models/${model.task}/evaluations`)}>Evaluate now</${Action}>
      ${model.can_retrain && html`<${Action} kind="secondary" busyLabel="Training…" onClick=${act("POST", `/v1/intelligence/models/${model.task}/versions`, { reason: "retrained by staff" })}>Retrain</${Action}>`}
    </div>`}
    <div class="table-wrap"><table><thead><tr><th>Version</th><th>Status</th><th>Why</th><th>Scores</th><th>Made</th><th></th></tr></thead>
    <tbody>${model.versions.map((v) => html`<tr>
      <td><b>${v.version}</b>${v.parent_version ? html`<div class="muted">from ${v.parent_version}</div>` : ""}</td>
      <td><${Badge} status=${v.status} /></td><td>${v.reason}</td>
      <td>${Object.entries(v.training_metrics).map(([k, n]) => html`<div>${words(k)} ${Number(n).toFixed(3)}</div>`)}
        ${v.baseline !== null ? html`<div class="muted">baseline ${score(model.metric, v.baseline)}</div>` : ""}</td>
      <td>${when(v.created_at)}</td>
      <td>${manage && v.status !== "active" && html`<${Action} kind="secondary" onClick=${act("POST", `/v1/intelligence/models/${model.task}/versions/${v.version}/promote`)}>${v.status === "retired" ? "Roll back to it" : "Promote"}</${Action}>`}</td>
    </tr>`)}</tbody></table></div>
  </section>`;
}

export function ModelsPage() {
  const models = useLoad(() => api("GET", "/v1/intelligence/models"), []);
  return html`<${Page} title="Models">
    <${Tabs} current="/admin/intelligence/models" />
    ${models.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${models.problem} onRetry=${models.reload} />
    ${models.data && models.data.items.length === 0 && html`<${Empty} title="No models yet" />`}
    ${models.data?.items.map((m) => html`<${ModelCard} model=${m} reload=${models.reload} />`)}
  </${Page}>`;
}
