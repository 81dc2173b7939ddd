// What the warehouse's pages share: the links between them, and the locations.
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Link } from "mercato/lib/router.js";
import { Field } from "mercato/lib/ui.js";

stylesheet();

/** The pages' own rules (the shell's stylesheet has the rest): added once. */
function stylesheet() {
  if (document.getElementById("warehouse-css")) return;
  const link = document.createElement("link");
  link.id = "warehouse-css";
  link.rel = "stylesheet";
  link.href = new URL("./warehouse.css", import.meta.url).href;
  document.head.append(link);
}

export function WarehouseLinks() {
  const links = [["/admin/warehouse", "Pick & pack"], ["/admin/warehouse/bins", "Bins and zones"],
    ["/admin/warehouse/tasks", "Tasks"], ["/admin/warehouse/counts", "Cycle counts"]];
  return html`<nav class="wh-links" aria-label="Warehouse pages">
    ${links.map(([to, label], i) => html`${i > 0 ? " · " : ""}<${Link} to=${to}>${label}</${Link}>`)}
  </nav>`;
}

export const loadLocations = () => api("GET", "/v1/inventory/locations?limit=200").then((page) => page.items);

export function LocationSelect({ locations, value, onChange }) {
  return html`<${Field} label="Location" as="select" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
    ${locations.map((l) => html`<option value=${l.id}>${l.name} (${l.code})</option>`)}
  </${Field}>`;
}
