// The analytics pages' charts, inline SVG drawn at the width they are shown at (so their
// words stay legible on a phone): bars over time (stacked when there are several series),
// horizontal bars, and a funnel. Each is an image to assistive technology (role="img", its
// aria-label saying what the data shows), with each bar's figures in a <title> (the tooltip),
// and the same figures in a table that opens below it.
import { html, useLayoutEffect, useRef, useState } from "preact-htm";

/** The width of the element `ref` is put on, followed as it changes. */
export function useWidth(initial = 600) {
  const ref = useRef(null);
  const [width, setWidth] = useState(initial);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return undefined;
    const measured = Math.floor(box.clientWidth);
    if (measured > 0) setWidth(measured);
    if (typeof ResizeObserver === "undefined") return undefined;
    const watch = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w > 0) setWidth(w);
    });
    watch.observe(box);
    return () => watch.disconnect();
  }, []);
  return [ref, width];
}

/** Round steps for an axis from 0 to at least `max`: 0, 250, 500, 750, 1000. */
export function niceTicks(max, integer = false, count = 4) {
  if (!(max > 0)) return [0, 1];
  let step = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(step));
  const n = step / magnitude;
  step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.ceil(step));
  const steps = Math.ceil(max / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toFixed(10)));
}

function truncate(text, chars) {
  const s = String(text ?? "");
  return s.length > chars ? `${s.slice(0, Math.max(1, chars - 1))}…` : s;
}

/** Bars over time. `rows`: [{label (the x axis), title (the tooltip), values: [one per
 * series]}]; `series`: [{name, cls}] (stacked, bottom first); `axis`: {format, integer}. */
export function BarChart({ rows, series, axis, summary, height = 240 }) {
  const [ref, width] = useWidth();
  const left = 62;
  const right = 10;
  const top = 12;
  const bottom = 28;
  const plotW = Math.max(40, width - left - right);
  const plotH = height - top - bottom;
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  const ticks = niceTicks(Math.max(0, ...totals), axis.integer);
  const highest = ticks[ticks.length - 1] || 1;
  const band = plotW / Math.max(1, rows.length);
  const barW = Math.max(1, Math.min(56, band * 0.72));
  const every = Math.max(1, Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 68))));
  const y = (v) => top + plotH - (v / highest) * plotH;
  return html`<div class="a-chart" ref=${ref}>
    <svg class="chart a-svg" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
      ${ticks.map((t) => html`<g class="a-gridline">
        <line x1=${left} x2=${width - right} y1=${y(t)} y2=${y(t)} />
        <text x=${left - 8} y=${y(t)} dy="0.32em" text-anchor="end" class="tick">${axis.format(t)}</text>
      </g>`)}
      ${rows.map((r, i) => {
        const x = left + i * band;
        let stacked = 0;
        return html`<g class="a-bar">
          <title>${r.title}</title>
          <rect class="a-hit" x=${x} y=${top} width=${band} height=${plotH} />
          ${r.values.map((v, s) => {
            const low = y(stacked);
            stacked += v;
            const high = y(stacked);
            return v > 0 && html`<rect class=${`bar ${series[s].cls}`} x=${x + (band - barW) / 2} y=${high} width=${barW} height=${Math.max(1, low - high)} />`;
          })}
          ${i % every === 0 && html`<text class="tick" x=${x + band / 2} y=${top + plotH + 18} text-anchor="middle">${r.label}</text>`}
        </g>`;
      })}
      <line class="axis a-baseline" x1=${left} x2=${width - right} y1=${top + plotH} y2=${top + plotH} />
    </svg>
  </div>`;
}

/** Horizontal bars, largest first: [{label, value, display}]. */
export function HBarChart({ items, summary }) {
  const [ref, width] = useWidth();
  const rowH = 30;
  const labelW = Math.min(220, Math.max(96, Math.round(width * 0.34)));
  const valueW = Math.min(110, Math.max(72, Math.round(width * 0.2)));
  const plotW = Math.max(20, width - labelW - valueW - 10);
  const max = Math.max(0, ...items.map((i) => i.value)) || 1;
  const chars = Math.max(6, Math.floor((labelW - 10) / 7));
  const height = items.length * rowH + 4;
  return html`<div class="a-chart" ref=${ref}>
    <svg class="chart a-svg" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
      ${items.map((item, i) => {
        const w = Math.max(2, (item.value / max) * plotW);
        const mid = i * rowH + rowH / 2 + 2;
        return html`<g class="a-bar">
          <title>${item.label}: ${item.display}</title>
          <rect class="a-hit" x="0" y=${i * rowH + 2} width=${width} height=${rowH} />
          <text x=${labelW - 10} y=${mid} dy="0.32em" text-anchor="end" class="a-label">${truncate(item.label, chars)}</text>
          <rect class="bar" x=${labelW} y=${mid - 9} width=${w} height="18" rx="2" />
          <text x=${labelW + w + 6} y=${mid} dy="0.32em" class="value">${item.display}</text>
        </g>`;
      })}
    </svg>
  </div>`;
}

/** A funnel: [{label, value, display}] from the widest step down, each step's share of the
 * one before it (`rate`, in words) between them. */
export function FunnelChart({ steps, summary }) {
  const [ref, width] = useWidth();
  const rowH = 38;
  const gap = 26;
  const labelW = Math.min(150, Math.max(92, Math.round(width * 0.28)));
  const plotW = Math.max(40, width - labelW - 6);
  const centre = labelW + plotW / 2;
  const max = Math.max(0, ...steps.map((s) => s.value)) || 1;
  const widthOf = (v) => Math.max(3, (v / max) * plotW);
  const height = steps.length * rowH + (steps.length - 1) * gap + 4;
  return html`<div class="a-chart" ref=${ref}>
    <svg class="chart a-svg a-funnel" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${summary}>
      ${steps.map((s, i) => {
        const y = i * (rowH + gap) + 2;
        const w = widthOf(s.value);
        const next = steps[i + 1];
        return html`<g class="a-bar">
          <title>${s.label}: ${s.display}${s.rate ? ` (${s.rate} of the step before)` : ""}</title>
          <text x="0" y=${y + 13} class="a-label">${s.label}</text>
          <text x="0" y=${y + 31} class="value">${s.display}</text>
          <rect class=${`bar step-${i}`} x=${centre - w / 2} y=${y} width=${w} height=${rowH} rx="3" />
          ${next && html`<polygon class="a-neck" points=${[
            [centre - w / 2, y + rowH], [centre + w / 2, y + rowH],
            [centre + widthOf(next.value) / 2, y + rowH + gap], [centre - widthOf(next.value) / 2, y + rowH + gap],
          ].map((p) => p.join(",")).join(" ")} />
          <text x=${centre} y=${y + rowH + gap / 2} dy="0.35em" text-anchor="middle" class="a-rate">${next.rate ?? "—"} went on</text>`}
        </g>`;
      })}
    </svg>
  </div>`;
}

/** The chart's series, by colour. */
export function Legend({ series }) {
  return html`<ul class="a-legend">
    ${series.map((s) => html`<li><span class=${`a-swatch ${s.cls}`} aria-hidden="true"></span>${s.name}</li>`)}
  </ul>`;
}

/** The figures behind a chart, as a table that opens below it (made when first opened). */
export function DataTable({ caption, columns, rows }) {
  const [open, setOpen] = useState(false);
  return html`<details class="a-data" onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>Show the figures as a table</summary>
    ${open && html`<div class="table-wrap" tabindex="0" role="region" aria-label=${`Table: ${caption}`}><table>
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.num ? "num" : ""}>${c.label}</th>`)}</tr></thead>
      <tbody>${rows.map((cells) => html`<tr>${cells.map((cell, i) => html`<td class=${columns[i].num ? "num" : ""}>${cell}</td>`)}</tr>`)}</tbody>
    </table></div>`}
  </details>`;
}
