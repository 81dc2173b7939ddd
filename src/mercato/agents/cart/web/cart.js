// The cart: its lines (change a quantity, remove one), a discount code, its totals, the
// problems that would stop a checkout (a changed price, stock gone), and the way on.
import { html, useEffect, useState } from "preact-htm";
import { Link } from "mercato/lib/router.js";
import { money } from "mercato/lib/format.js";
import { on, service } from "mercato/lib/services.js";
import { Action, Empty, Field, Loading, Page, Picture, ProblemBox } from "mercato/lib/ui.js";
import * as state from "./state.js";

export function CartPage() {
  const Options = service("shipping.options"); // the shipping agent's, when it runs
  const [cart, setCart] = useState(undefined);
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    const stop = on("cart", (c) => c && setCart(c));
    state.refresh().then((c) => setCart(c || null), setProblem);
    return stop;
  }, []);
  const act = (fn) => async (...args) => {
    setProblem(null);
    try {
      setCart(await fn(...args));
    } catch (p) {
      setProblem(p);
    }
  };
  if (cart === undefined && !problem) return html`<${Page} title="Your cart"><${Loading} /></${Page}>`;
  if (!cart || cart.items.length === 0) {
    return html`<${Page} title="Your cart"><${ProblemBox} problem=${problem} />
      <${Empty} title="Your cart is empty."><${Link} to="/shop/products">Find something you like</${Link}></${Empty}></${Page}>`;
  }
  return html`<${Page} title="Your cart">
    <${ProblemBox} problem=${problem} />
    ${cart.problems.length > 0 && html`<div class="notice" role="status"><ul>
      ${cart.problems.map((p) => html`<li>${p.detail}</li>`)}</ul>
      ${cart.problems.some((p) => p.code === "price_changed") &&
      html`<${Action} kind="secondary" onClick=${act(state.acceptPrices)}>Accept the new prices</${Action}>`}
    </div>`}
    <div class="row">
      <div class="grow panel">
        <ul class="lines">${cart.items.map((item) => html`<${Line} item=${item} currency=${cart.currency}
          onChange=${act(state.change)} onRemove=${act(state.remove)} />`)}</ul>
        ${Options && html`<${Options} cart=${cart} />`}
      </div>
      <aside class="side panel" aria-label="Summary">
        <${Code} cart=${cart} onApply=${act(state.applyCode)} onRemove=${act(state.removeCode)} />
        <${Totals} cart=${cart} />
        <${Link} to="/shop/checkout" class="button primary" style="display:block;text-align:center;text-decoration:none;margin-top:12px">Check out</${Link}>
      </aside>
    </div>
  </${Page}>`;
}

function Line({ item, currency, onChange, onRemove }) {
  const [quantity, setQuantity] = useState(item.quantity);
  useEffect(() => setQuantity(item.quantity), [item.quantity]);
  const commit = () => {
    const wanted = Number(quantity);
    if (wanted !== item.quantity && wanted >= 1) onChange(item.id, wanted);
  };
  return html`<li class="line">
    <${Picture} name=${item.name} size="s" decorative />
    <div class="what"><${Link} to=${`/shop/products/${item.product_id}`}>${item.name}</${Link}>
      <div class="muted">${item.sku} · ${money(item.unit_price, currency)} each</div></div>
    <${Field} label=${html`Quantity<span class="visually-hidden"> of ${item.name}</span>`} type="number" min="1" class="qty" value=${quantity}
      onInput=${(e) => setQuantity(e.currentTarget.value)} onChange=${commit} />
    <span class="price">${money(item.line_total, currency)}</span>
    <button class="link-button" onClick=${() => onRemove(item.id)} aria-label=${`Remove ${item.name}`}>Remove</button>
  </li>`;
}

function Code({ cart, onApply, onRemove }) {
  const [code, setCode] = useState("");
  if (cart.discount_code) {
    return html`<p>Code <b>${cart.discount_code}</b> applied.
      <button class="link-button" onClick=${() => onRemove(cart.discount_code)}>Remove it</button></p>`;
  }
  const apply = async (event) => {
    event.preventDefault();
    if (code.trim()) await onApply(code.trim());
  };
  return html`<form class="inline-form" onSubmit=${apply}>
    <${Field} label="Discount code" value=${code} autocomplete="off" onInput=${(e) => setCode(e.currentTarget.value)} />
    <button class="button secondary" type="submit">Apply</button>
  </form>`;
}

export function Totals({ cart }) {
  const c = cart.currency;
  return html`<table class="totals"><tbody>
    <tr><td>Subtotal</td><td class="num">${money(cart.subtotal, c)}</td></tr>
    ${Number(cart.discount_total) > 0 && html`<tr><td>Discount</td><td class="num">−${money(cart.discount_total, c)}</td></tr>`}
    <tr><td>Shipping</td><td class="num">${money(cart.shipping_total, c)}</td></tr>
    <tr><td>Tax</td><td class="num">${money(cart.tax_total, c)}</td></tr>
    <tr class="total"><td>Total</td><td class="num">${money(cart.total, c)}</td></tr>
  </tbody></table>`;
}
