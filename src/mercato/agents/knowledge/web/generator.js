// The test-data generator: records of an entity that pass Mercato's rules, split across the
// entity's scenarios and, if asked, its edge cases; a preview, then a download.
import { html, useEffect, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { allEntities } from "./catalog.js";

const FORMATS = [["csv", "CSV"], ["json", "JSON"], ["sql", "SQL (INSERTs)"]];
const EXTENSIONS = { csv: "csv", json: "json", sql: "sql" };

function text(result) {
  return typeof result.data === "string" ? result.data : JSON.stringify(result.data, null, 2);
}

function download(result, entity) {
  const type = { csv: "text/csv", json: "application/json", sql: "application/sql" }[result.format];
  const url = URL.createObjectURL(new Blob([text(result)], { type }));
  const link = Object.assign(document.createElement("a"), {
    href: url,
    download: `${entity}-${result.record_count}.${EXTENSIONS[result.format]}`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Generator() {
  const entities = useLoad(allEntities, []);
  const [form, setForm] = useState({ entity: "order", count: 100, format: "csv", edge: false, seed: "" });
  const [scenarios, setScenarios] = useState({});
  const [result, setResult] = useState(null);
  const [problem, setProblem] = useState(null);
  const entity = entities.data?.find((e) => e.name === form.entity);
  useEffect(() => setScenarios({}), [form.entity]);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });

  const generate = async () => {
    setProblem(null);
    setResult(null);
    const chosen = Object.fromEntries(Object.entries(scenarios).filter(([, n]) => Number(n) > 0).map(([s, n]) => [s, Number(n)]));
    try {
      setResult(await api("POST", "/v1/knowledge/generate", {
        body: {
          entity: form.entity,
          count: Number(form.count),
          format: form.format,
          scenarios: chosen,
          include_edge_cases: form.edge,
          seed: form.seed === "" ? null : Number(form.seed),
        },
      }));
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  const preview = result ? text(result).split("\n").slice(0, 40).join("\n") : "";
  return html`<${Page} title="Test data">
    ${entities.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${entities.problem} onRetry=${entities.reload} />
    ${entities.data && html`<div class="row">
      <div class="side panel">
        <${Field} label="Entity" as="select" value=${form.entity} onChange=${set("entity")}>
          ${entities.data.filter((e) => e.implemented).map((e) => html`<option value=${e.name}>${e.name}</option>`)}
        </${Field}>
        <${Field} label="Records" type="number" min="1" max="10000" value=${form.count} error=${errors.count} onInput=${set("count")} />
        ${entity?.test_scenarios?.length > 0 && html`<fieldset class="plain"><legend><b>Scenarios</b> <span class="muted">(the rest are happy path)</span></legend>
          <div class="fields">${entity.test_scenarios.filter((s) => s !== "happy_path").map((s) => html`<${Field} label=${words(s)} type="number" min="0"
            value=${scenarios[s] || ""} onInput=${(e) => setScenarios({ ...scenarios, [s]: e.currentTarget.value })} />`)}</div></fieldset>`}
        <label class="check"><input type="checkbox" checked=${form.edge} onChange=${set("edge")} /> Include edge cases</label>
        <${Field} label="Format" as="select" value=${form.format} onChange=${set("format")}>
          ${FORMATS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </${Field}>
        <${Field} label="Seed (optional)" type="number" value=${form.seed} hint="The same seed gives the same records" onInput=${set("seed")} />
        <${Action} onClick=${generate} busyLabel="Generating…">Generate</${Action}>
      </div>
      <div class="grow">
        <${ProblemBox} problem=${problem} />
        ${result && html`<div class="panel"><p><b>${result.record_count} records</b> of ${form.entity}, coherence ${(result.coherence_score * 100).toFixed(0)} %,
          in ${Math.round(result.generation_time_ms)} ms. Scenarios: ${Object.entries(result.scenario_counts).map(([s, n]) => `${words(s)} ${n}`).join(", ")}
          ${Object.keys(result.edge_case_counts).length > 0 ? `; edge cases: ${Object.entries(result.edge_case_counts).map(([s, n]) => `${s} ${n}`).join(", ")}` : ""}.</p>
          <button class="button primary" onClick=${() => download(result, form.entity)}>Download ${result.format.toUpperCase()}</button></div>
          <h2>Preview</h2><pre class="preview" aria-label="Preview of the generated data">${preview}</pre>`}
      </div>
    </div>`}
  </${Page}>`;
}
