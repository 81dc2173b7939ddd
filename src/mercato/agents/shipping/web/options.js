// The cart's shipping options for its shopper: every carrier's services to where the shopper
// says (the cart's country at first), cheapest first, each with its price, its delivery
// dates and a badge for the cheapest, the fastest and the best value; choosing one prices
// the cart's shipping (PUT /v1/carts/{id}/shipping-option) and the cart's totals follow.
import { html, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { money } from "mercato/lib/format.js";
import { service } from "mercato/lib/services.js";
import { Field, Loading, useLoad } from "mercato/lib/ui.js";
import { arrives } from "./parts.js";

const COUNTRIES = [["US", "United States"], ["CA", "Canada"], ["GB", "United Kingdom"], ["IE", "Ireland"],
  ["DE", "Germany"], ["FR", "France"], ["ES", "Spain"], ["IT", "Italy"], ["NL", "Netherlands"], ["BE", "Belgium"],
  ["AT", "Austria"], ["PT", "Portugal"], ["SE", "Sweden"], ["DK", "Denmark"], ["JP", "Japan"], ["AU", "Australia"], ["BR", "Brazil"]];
const TAGS = { cheapest: "Cheapest", fastest: "Fastest", best_value: "Best value" };
/** Answers that mean "nothing to choose here", said kindly rather than as an error. */
const QUIET = {
  nothing_to_ship: null,
  no_shipping_rates: "We do not ship there yet. Try another country, or check out for the store's standard shipping.",
};

function Choice({ option, chosen, onPick, busy }) {
  return html`<li><label class=${chosen ? "s-option chosen" : "s-option"}>
    <input type="radio" name="shipping-option" value=${option.id} checked=${chosen} disabled=${busy} onChange=${() => onPick(option)} />
    <span class="s-what"><b>${option.carrier_name} ${option.service_name}</b>
      ${option.tags.map((t) => html` <span class=${`badge s-tag ${t}`}>${TAGS[t] || t}</span>`)}
      <span class="s-when">Arrives ${arrives(option.estimated_delivery)}</span></span>
    <span class="price">${Number(option.price) === 0 ? "Free" : money(option.price, option.currency)}</span>
  </label></li>`;
}

export function ShippingOptions({ cart }) {
  const [where, setWhere] = useState({ country: cart.country || "US", postal_code: "" });
  const [postal, setPostal] = useState("");
  const [picking, setPicking] = useState(null);
  const [problem, setProblem] = useState(null);
  const ships = cart.items.some((i) => i.requires_shipping);
  const items = cart.items.map((i) => `${i.variant_id}:${i.quantity}`).join(",");
  const rates = useLoad(
    () => (ships ? api("GET", `/v1/shipping/rates${toQuery({ cart_id: cart.id, ...where })}`) : Promise.resolve(null)),
    [cart.id, items, where.country, where.postal_code],
  );
  if (!ships) return null;
  const mine = cart.shipping_option;
  const isChosen = (o) => Boolean(mine) && (o.id === mine.rate_id || (o.carrier === mine.carrier && o.service === mine.service));
  const pick = async (option) => {
    setPicking(option.id);
    setProblem(null);
    try {
      await api("PUT", `/v1/carts/${encodeURIComponent(cart.id)}/shipping-option`, { body: { rate_id: option.id } });
      await service("cart.refresh")?.(); // the cart is read again: its page and totals follow
    } catch (p) {
      setProblem(p);
      if (p.code === "shipping_rate_not_found") rates.reload(); // expired: fresh options
    } finally {
      setPicking(null);
    }
  };
  const quiet = rates.problem && rates.problem.code in QUIET ? QUIET[rates.problem.code] : undefined;
  if (quiet === null) return null;
  return html`<section class="s-options" aria-labelledby="s-options-title">
    <h2 id="s-options-title">Shipping options</h2>
    <form class="inline-form s-where" onSubmit=${(e) => { e.preventDefault(); setWhere({ ...where, postal_code: postal.trim() }); }}>
      <${Field} label="Ship to" as="select" value=${where.country} autocomplete="country"
        onChange=${(e) => setWhere({ ...where, country: e.currentTarget.value })}>
        ${COUNTRIES.map(([code, name]) => html`<option value=${code}>${name}</option>`)}
      </${Field}>
      <${Field} label="Postal code" value=${postal} autocomplete="postal-code" class="s-postal" maxlength="12"
        onInput=${(e) => setPostal(e.currentTarget.value)} />
      <button type="submit" class="button secondary">Update</button>
    </form>
    <p class="hint">Prices and dates for this address; you give the full address at checkout.</p>
    ${rates.loading && html`<${Loading} label="Finding shipping options…" />`}
    ${quiet && html`<p class="notice" role="status">${quiet}</p>`}
    ${rates.problem && quiet === undefined && html`<p class="notice" role="status">Shipping options cannot be shown just now;
      the store's standard shipping applies. <button type="button" class="link-button" onClick=${rates.reload}>Try again</button></p>`}
    ${rates.data && !rates.loading && html`
      ${rates.data.warnings.length > 0 && html`<div class="notice s-warnings" role="status">
        <p>Some carriers did not answer in time, so a few prices are the store's usual rates:</p>
        <ul>${rates.data.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`}
      <fieldset class="plain"><legend class="visually-hidden">Choose how your order ships</legend>
        <ul class="s-choices">${rates.data.options.map((o) => html`<${Choice} key=${o.id} option=${o} chosen=${picking ? picking === o.id : isChosen(o)}
          busy=${picking !== null} onPick=${pick} />`)}</ul>
      </fieldset>
      ${!mine && html`<p class="hint">Until you choose, the store's standard shipping is shown in the total.</p>`}`}
    ${problem && html`<p class="notice" role="alert">${problem.code === "shipping_rate_not_found"
      ? "That price has expired; here are fresh options, please choose again."
      : `${problem.title}. ${problem.detail || ""}`}</p>`}
  </section>`;
}
