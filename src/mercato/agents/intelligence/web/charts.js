// The intelligence pages' charts, inline SVG: a forecast with its 80 % and 95 % bands, and a
// bar of shares (sentiment's positive / neutral / negative). Each is an image to assistive
// technology (role="img" with what it shows in words), its figures in <title> tooltips.
import { html } from "preact-htm";

const fmt = (n) => (Math.round(n * 10) / 10).toLocaleString();

/** `points`: [{date, forecast, lower_80, upper_80, lower_95, upper_95}]. */
export function ForecastChart({ points, label }) {
  if (!points?.length) return null;
  const w = 640, h = 220, left = 44, right = 24, top = 10, bottom = 26;
  const high = Math.max(1, ...points.map((p) => p.upper_95)) * 1.05;
  const x = (i) => left + (i * (w - left - right)) / Math.max(1, points.length - 1);
  const y = (v) => top + (1 - v / high) * (h - top - bottom);
  const band = (lo, hi) =>
    `${points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p[hi]).toFixed(1)}`).join(" ")} ` +
    `${points.map((p, i) => [i, p]).reverse().map(([i, p]) => `L${x(i).toFixed(1)},${y(p[lo]).toFixed(1)}`).join(" ")} Z`;
  const line = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.forecast).toFixed(1)}`).join(" ");
  const ticks = [0, high / 2, high].map((v) => Math.round(v));
  const every = Math.max(1, Math.ceil(points.length / 6));
  return html`<svg class="forecast-chart" viewBox=${`0 0 ${w} ${h}`} width="100%" role="img" aria-label=${label}>
    ${ticks.map((t) => html`<g><line x1=${left} x2=${w - right} y1=${y(t)} y2=${y(t)} class="grid" /><text x=${left - 6} y=${y(t) + 4} text-anchor="end">${t}</text></g>`)}
    <path d=${band("lower_95", "upper_95")} class="band95"><title>95 % interval</title></path>
    <path d=${band("lower_80", "upper_80")} class="band80"><title>80 % interval</title></path>
    <path d=${line} class="forecast" fill="none" />
    ${points.map((p, i) => html`<circle cx=${x(i)} cy=${y(p.forecast)} r="6" class="hit"><title>${p.date}: ${fmt(p.forecast)} units (80 %: ${fmt(p.lower_80)} to ${fmt(p.upper_80)}; 95 %: ${fmt(p.lower_95)} to ${fmt(p.upper_95)})</title></circle>`)}
    ${points.map((p, i) => (i % every === 0 ? html`<text x=${x(i)} y=${h - 8} text-anchor="middle">${p.date.slice(5)}</text>` : null))}
  </svg>`;
}

/** `shares`: {positive, neutral, negative}, each a share of 1. */
export function SharesBar({ shares }) {
  const parts = ["positive", "neutral", "negative"].map((k) => [k, shares?.[k] || 0]);
  const label = parts.map(([k, v]) => `${Math.round(v * 100)} % ${k}`).join(", ");
  return html`<div class="shares" role="img" aria-label=${label}>
    ${parts.map(([k, v]) => (v > 0 ? html`<span class=${`share ${k}`} style=${`width:${v * 100}%`} title=${`${Math.round(v * 100)} % ${k}`}></span>` : null))}
  </div><div class="muted">${label}</div>`;
}
