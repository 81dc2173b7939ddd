// Warehouse tasks: filtered by status and assignee; each assigned, started, completed or
// cancelled as its status allows (the API refuses any other move).
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { when, words } from "mercato/lib/format.js";
import { navigate } from "mercato/lib/router.js";
import { Action, Badge, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { WarehouseLinks } from "./parts.js";

const STATUSES = ["", "open", "assigned", "in_progress", "done", "cancelled"];
const MOVES = {
  open: ["start", "cancel"], assigned: ["start", "cancel"], in_progress: ["complete", "cancel"],
};

export function Tasks({ query }) {
  const chosen = { status: query.get("status") || "", assignee: query.get("assignee") || "" };
  const found = useLoad(() => api("GET", `/v1/warehouse/tasks${toQuery({ ...chosen, limit: 200 })}`), [toQuery(chosen)]);
  const [problem, setProblem] = useState(null);
  const set = (name, value) => navigate(`/admin/warehouse/tasks${toQuery({ ...chosen, [name]: value })}`);
  const act = async (task, move, body) => {
    setProblem(null);
    try {
      await api("POST", `/v1/warehouse/tasks/${task.id}/${move}`, body ? { body } : {});
      found.reload();
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<${Page} title="Warehouse tasks" wide actions=${html`<${WarehouseLinks} />`}>
    <div class="inline-form panel">
      <${Field} label="Status" as="select" value=${chosen.status} onChange=${(e) => set("status", e.currentTarget.value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s ? words(s) : "Any"}</option>`)}</${Field}>
      <${Field} label="Assignee" value=${chosen.assignee} onChange=${(e) => set("assignee", e.currentTarget.value.trim())} />
    </div>
    <${ProblemBox} problem=${problem} />
    ${found.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${found.problem} onRetry=${found.reload} />
    ${found.data && found.data.items.length === 0 && html`<${Empty} title="No task matches." />`}
    ${found.data && found.data.items.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">What</th><th scope="col">Assignee</th><th scope="col">Due</th><th scope="col">Actions</th></tr></thead>
      <tbody>${found.data.items.map((t) => html`<tr>
        <td>${words(t.kind)}</td><td><${Badge} status=${t.status} /></td><td>${t.note || t.reference || ""}</td>
        <td>${t.assignee || "—"}</td><td>${t.due_at ? when(t.due_at) : "—"}</td>
        <td><${Moves} task=${t} act=${act} /></td></tr>`)}
      </tbody></table></div>`}
  </${Page}>`;
}

function Moves({ task, act }) {
  const [assignee, setAssignee] = useState("");
  const canAssign = task.status === "open" || task.status === "assigned";
  return html`<div class="inline-form">
    ${canAssign && html`<${Field} label=${`Assign ${words(task.kind)} task to`} value=${assignee} onInput=${(e) => setAssignee(e.currentTarget.value)} />
      <${Action} kind="secondary" onClick=${() => act(task, "assign", { assignee: assignee.trim() })}>Assign</${Action}>`}
    ${(MOVES[task.status] || []).map((move) => html`<${Action} kind=${move === "cancel" ? "danger" : "secondary"} onClick=${() => act(task, move)}>${words(move)}</${Action}>`)}
  </div>`;
}
