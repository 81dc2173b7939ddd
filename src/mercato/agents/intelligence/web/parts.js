// What the intelligence pages share: their tabs, and their stylesheet (added when the first of
// them is shown).
import { html } from "preact-htm";
import { Link } from "mercato/lib/router.js";

stylesheet();

export function stylesheet() {
  if (document.getElementById("intelligence-css")) return;
  const link = document.createElement("link");
  link.id = "intelligence-css";
  link.rel = "stylesheet";
  link.href = new URL("./intelligence.css", import.meta.url).href;
  document.head.append(link);
}

export const TABS = [
  { to: "/admin/intelligence", label: "Products" },
  { to: "/admin/intelligence/sources", label: "Sources" },
  { to: "/admin/intelligence/matches", label: "Matches" },
  { to: "/admin/intelligence/audit", label: "Audit" },
  { to: "/admin/intelligence/models", label: "Models" },
  { to: "/admin/intelligence/ask", label: "Ask" },
  { to: "/admin/intelligence/reports", label: "Reports" },
  { to: "/admin/intelligence/settings", label: "Settings & usage" },
];

export function Tabs({ current }) {
  return html`<nav class="i-tabs" aria-label="Intelligence pages">
    ${TABS.map((t) => html`<${Link} to=${t.to} aria-current=${t.to === current ? "page" : undefined}>${t.label}</${Link}>`)}
  </nav>`;
}
