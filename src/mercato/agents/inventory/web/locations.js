// The store's locations, read once per page (a select's options, a row's name).
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Field } from "mercato/lib/ui.js";

export const loadLocations = () => api("GET", "/v1/inventory/locations?limit=200").then((page) => page.items);

export function LocationSelect({ locations, label = "Location", value, onChange, any }) {
  return html`<${Field} label=${label} as="select" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
    ${any && html`<option value="">${any}</option>`}
    ${locations.map((l) => html`<option value=${l.id}>${l.name} (${l.code})${l.active ? "" : " · inactive"}</option>`)}
  </${Field}>`;
}
