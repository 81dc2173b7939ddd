// The explorer's pictures, drawn as SVG from the catalog's data: the entity–relationship
// diagram (entities in columns by category, a line per relationship) and a workflow's steps.
import { html } from "preact-htm";
import { navigate } from "mercato/lib/router.js";
import { words } from "mercato/lib/format.js";

const BOX = { w: 160, h: 40, gapX: 56, gapY: 22, pad: 24 };

/** Where each entity's box goes: one column per category, in the catalog's order. */
function layout(entities) {
  const columns = [];
  for (const entity of entities) {
    let column = columns.find((c) => c.category === entity.category);
    if (!column) columns.push((column = { category: entity.category, items: [] }));
    column.items.push(entity);
  }
  const at = new Map();
  columns.forEach((column, x) => {
    column.items.forEach((entity, y) => {
      at.set(entity.name, {
        x: BOX.pad + x * (BOX.w + BOX.gapX),
        y: BOX.pad + 28 + y * (BOX.h + BOX.gapY),
      });
    });
  });
  const tallest = Math.max(...columns.map((c) => c.items.length));
  return {
    columns,
    at,
    width: BOX.pad * 2 + columns.length * BOX.w + (columns.length - 1) * BOX.gapX,
    height: BOX.pad * 2 + 28 + tallest * (BOX.h + BOX.gapY),
  };
}

function link(from, to) {
  const left = from.x <= to.x;
  const x1 = from.x + (left ? BOX.w : 0);
  const x2 = to.x + (left ? 0 : BOX.w);
  const y1 = from.y + BOX.h / 2;
  const y2 = to.y + BOX.h / 2;
  if (from.x === to.x) {
    const bend = from.x + BOX.w + 36;
    return `M${from.x + BOX.w},${y1} C${bend},${y1} ${bend},${y2} ${to.x + BOX.w},${y2}`;
  }
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

/** Every entity and every relationship between two of them; `focus` highlights one. */
export function EntityDiagram({ entities, focus }) {
  const { columns, at, width, height } = layout(entities);
  const links = [];
  for (const entity of entities) {
    for (const rel of entity.relationships || []) {
      if (rel.type === "has_many" || rel.type === "has_one") continue; // drawn from the other end
      const from = at.get(entity.name);
      const to = at.get(rel.target);
      if (from && to) links.push({ from: entity.name, to: rel.target, d: link(from, to), type: rel.type });
    }
  }
  const near = (name) => !focus || name === focus || links.some((l) => (l.from === focus && l.to === name) || (l.to === focus && l.from === name));
  const open = (name) => navigate(`/explorer/entities/${name}`);
  return html`<figure class="diagram">
    <svg viewBox=${`0 0 ${width} ${height}`} role="group" aria-labelledby="erd-title" class="erd">
      <title id="erd-title">Entity-relationship diagram: ${entities.length} entities and ${links.length} relationships</title>
      <defs><marker id="many" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill="#55606f" /></marker></defs>
      ${columns.map((c, i) => html`<text class="erd-category" x=${BOX.pad + i * (BOX.w + BOX.gapX)} y=${BOX.pad + 10}>${words(c.category)}</text>`)}
      ${links.map((l) => html`<path d=${l.d} class=${`erd-link ${focus && (l.from === focus || l.to === focus) ? "on" : focus ? "off" : ""}`}
        marker-end="url(#many)"><title>${l.from} ${words(l.type).toLowerCase()} ${l.to}</title></path>`)}
      ${entities.map((e) => {
        const p = at.get(e.name);
        return html`<g class=${`erd-box ${e.name === focus ? "focus" : ""} ${near(e.name) ? "" : "off"} ${e.implemented ? "" : "planned"}`}
          transform=${`translate(${p.x},${p.y})`} tabindex="0" role="link" aria-label=${`Entity ${e.name}`}
          onClick=${() => open(e.name)} onKeyDown=${(ev) => (ev.key === "Enter" || ev.key === " ") && open(e.name)}>
          <rect width=${BOX.w} height=${BOX.h} rx="6" />
          <text x=${BOX.w / 2} y=${BOX.h / 2 + 5.5} text-anchor="middle">${e.name}</text>
        </g>`;
      })}
    </svg>
    <figcaption class="muted">Arrows point from an entity to the one it belongs to. Dashed: in the domain, not yet built.</figcaption>
  </figure>`;
}

const STEP = { w: 300, h: 58, gap: 34, pad: 16 };

/** A workflow's steps top to bottom, each with its saga step (where it runs) on the side. */
export function WorkflowDiagram({ workflow }) {
  const steps = workflow.steps;
  const height = STEP.pad * 2 + steps.length * STEP.h + (steps.length - 1) * STEP.gap;
  const width = STEP.w + 200;
  return html`<figure class="diagram">
    <svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-labelledby="wf-title" class="workflow" style=${`max-width:${width}px`}>
      <title id="wf-title">Workflow ${workflow.name}: ${steps.map((s) => s.name).join(", then ")}</title>
      <defs><marker id="next" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">
        <path d="M0,0 L10,5 L0,10 z" fill="#0b5fad" /></marker></defs>
      ${steps.map((s, i) => {
        const y = STEP.pad + i * (STEP.h + STEP.gap);
        return html`<g class=${`wf-step ${s.performed ? "" : "planned"}`} transform=${`translate(${STEP.pad},${y})`}>
          <rect width=${STEP.w} height=${STEP.h} rx="8" />
          <text x="14" y="24" class="wf-name">${s.order}. ${words(s.name)}</text>
          <text x="14" y="44" class="wf-detail">${s.entity} · ${s.action}${s.performed ? "" : " · not built yet"}</text>
          ${s.saga_step && html`<text x=${STEP.w + 16} y="34" class="wf-saga">saga step “${s.saga_step}”</text>`}
          ${i < steps.length - 1 && html`<line x1=${STEP.w / 2} y1=${STEP.h} x2=${STEP.w / 2} y2=${STEP.h + STEP.gap - 2} class="wf-arrow" marker-end="url(#next)" />`}
        </g>`;
      })}
    </svg>
  </figure>`;
}
