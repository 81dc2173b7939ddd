// Checkout: email, addresses, the card (the sandbox's test cards work; nothing is charged),
// one Idempotency-Key per attempt so a double click or a retry never makes two orders, and
// the API's refusals in words (declined, out of stock, prices changed) with the cart kept.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { money } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Empty, Field, Loading, Page, ProblemBox } from "mercato/lib/ui.js";

const COUNTRIES = [["US", "United States"], ["CA", "Canada"], ["GB", "United Kingdom"], ["DE", "Germany"],
  ["FR", "France"], ["ES", "Spain"], ["IT", "Italy"], ["NL", "Netherlands"], ["JP", "Japan"], ["AU", "Australia"], ["BR", "Brazil"]];
export const ADDRESS = { name: "", line1: "", line2: "", city: "", region: "", postal_code: "", country: "US" };

/** An address as the API takes it: the fields left empty left out. */
export function addressBody(address) {
  return Object.fromEntries(Object.entries(address).filter(([, v]) => v !== "" && v !== null));
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function cardOf(values) {
  const [month, year] = values.expiry.split("/").map((part) => Number(part.trim()));
  return {
    number: values.number.replace(/\s+/g, ""),
    exp_month: month || 0,
    exp_year: year && year < 100 ? 2000 + year : year || 0,
    cvc: values.cvc.trim() || null,
    holder: values.holder.trim() || null,
  };
}

export function Address({ legend, value, onChange, errors, prefix }) {
  const bind = (name, label, more = {}) => html`<${Field} label=${label} value=${value[name]} error=${errors[`${prefix}.${name}`]}
    onInput=${(e) => onChange({ ...value, [name]: name === "region" ? e.currentTarget.value.toUpperCase() : e.currentTarget.value })} ...${more} />`;
  return html`<fieldset class="panel"><legend><h2>${legend}</h2></legend>
    ${bind("name", "Full name", { autocomplete: "name" })}
    ${bind("line1", "Address", { autocomplete: "address-line1" })}
    ${bind("line2", "Apartment, suite (optional)", { autocomplete: "address-line2" })}
    <div class="fields">
      ${bind("city", "City", { autocomplete: "address-level2" })}
      ${bind("region", "State or region code", { autocomplete: "address-level1", maxlength: 3, hint: "Optional, as on a postal address: CA, NY, BY" })}
      ${bind("postal_code", "Postal code", { autocomplete: "postal-code" })}
    </div>
    <${Field} label="Country" as="select" value=${value.country} autocomplete="country"
      onChange=${(e) => onChange({ ...value, country: e.currentTarget.value })}>
      ${COUNTRIES.map(([code, name]) => html`<option value=${code}>${name}</option>`)}
    </${Field}>
  </fieldset>`;
}

export function CheckoutPage() {
  const current = service("cart.current");
  const [cart, setCart] = useState(undefined);
  const [email, setEmail] = useState(signedIn()?.user?.email || "");
  const [shipping, setShipping] = useState(ADDRESS);
  const [card, setCard] = useState({ number: "", expiry: "", cvc: "", holder: "" });
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newKey());
  useEffect(() => {
    current().then((c) => setCart(c || null), setProblem);
  }, []);

  if (cart === undefined && !problem) return html`<${Page} title="Checkout"><${Loading} /></${Page}>`;
  if (!cart || cart.items.length === 0) {
    return html`<${Page} title="Checkout"><${Empty} title="Your cart is empty.">
      <${Link} to="/shop/products">Find something you like</${Link}></${Empty}></${Page}>`;
  }
  const ships = cart.items.some((item) => item.requires_shipping);
  const place = async (event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const address = ships ? addressBody(shipping) : null;
    try {
      const placed = await api("POST", "/v1/checkout", {
        headers: { "idempotency-key": key.current },
        body: {
          cart_id: cart.id,
          email,
          shipping_address: address,
          billing_address: address,
          payment: Number(cart.total) > 0 ? { provider: "sandbox", card: cardOf(card) } : null,
        },
      });
      service("cart.forget")();
      navigate(`/account/orders/${placed.order.id}?placed=1`, { replace: true });
    } catch (p) {
      // a refusal (4xx) ends this attempt: the next one is a new request with a new key; after
      // no answer or a server error the order may exist, so a retry keeps the key and gets
      // the first answer instead of a second order
      const refused = p.status >= 400 && p.status < 500 && p.code !== "checkout_in_progress";
      if (refused) key.current = newKey();
      setProblem(p);
      setCart(await service("cart.refresh")().catch(() => cart));
    } finally {
      setBusy(false);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  const c = cart.currency;
  return html`<${Page} title="Checkout">
    <form onSubmit=${place} noValidate>
      <div class="row">
        <div class="grow">
          <fieldset class="panel"><legend><h2>Contact</h2></legend>
            <${Field} label="Email" type="email" autocomplete="email" value=${email} error=${errors.email}
              onInput=${(e) => setEmail(e.currentTarget.value)} />
          </fieldset>
          ${ships && html`<${Address} legend="Shipping address" value=${shipping} onChange=${setShipping}
            errors=${errors} prefix="shipping_address" />`}
          ${Number(cart.total) > 0 && html`<fieldset class="panel"><legend><h2>Card</h2></legend>
            <p class="hint">This store runs on the sandbox gateway: try 4242 4242 4242 4242 (accepted)
              or 4000 0000 0000 0002 (declined). Nothing is charged.</p>
            <${Field} label="Card number" inputmode="numeric" autocomplete="cc-number" value=${card.number}
              error=${errors["payment.card.number"]} onInput=${(e) => setCard({ ...card, number: e.currentTarget.value })} />
            <div class="fields">
              <${Field} label="Expiry (MM/YY)" autocomplete="cc-exp" placeholder="12/30" value=${card.expiry}
                error=${errors["payment.card.exp_month"] || errors["payment.card.exp_year"]}
                onInput=${(e) => setCard({ ...card, expiry: e.currentTarget.value })} />
              <${Field} label="Security code" inputmode="numeric" autocomplete="cc-csc" value=${card.cvc}
                error=${errors["payment.card.cvc"]} onInput=${(e) => setCard({ ...card, cvc: e.currentTarget.value })} />
            </div>
            <${Field} label="Name on card" autocomplete="cc-name" value=${card.holder}
              onInput=${(e) => setCard({ ...card, holder: e.currentTarget.value })} />
          </fieldset>`}
        </div>
        <aside class="side panel" aria-label="Order summary">
          <h2>Your order</h2>
          <ul class="lines">${cart.items.map((item) => html`<li class="line"><span class="what">${item.quantity} × ${item.name}</span>
            <span>${money(item.line_total, c)}</span></li>`)}</ul>
          <table class="totals"><tbody>
            <tr><td>Subtotal</td><td class="num">${money(cart.subtotal, c)}</td></tr>
            ${Number(cart.discount_total) > 0 && html`<tr><td>Discount${cart.discount_code ? ` (${cart.discount_code})` : ""}</td><td class="num">−${money(cart.discount_total, c)}</td></tr>`}
            <tr><td>Shipping</td><td class="num">${money(cart.shipping_total, c)}</td></tr>
            <tr><td>Tax</td><td class="num">${money(cart.tax_total, c)}</td></tr>
            <tr class="total"><td>Total</td><td class="num">${money(cart.total, c)}</td></tr>
          </tbody></table>
          <${ProblemBox} problem=${problem} />
          ${problem && ["cart_prices_changed", "insufficient_stock", "cart_not_checkoutable"].includes(problem.code) &&
          html`<p><${Link} to="/shop/cart">Review your cart</${Link}></p>`}
          <button class="button primary" type="submit" disabled=${busy} style="width:100%;margin-top:12px">
            ${busy ? "Placing your order…" : `Pay ${money(cart.total, c)}`}</button>
        </aside>
      </div>
    </form>
  </${Page}>`;
}
