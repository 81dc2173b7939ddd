// What the assistant shows besides its words: products, the cart, an order, a confirmation
// (Yes / No, or the card form when the checkout needs a payment), a ticket, an FAQ answer, a
// link. Only the latest message's cards can be answered; older ones are a record.
import { html, useState } from "preact-htm";
import { money } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Badge, Field, Picture } from "mercato/lib/ui.js";

const TEST_CARD = { number: "4242 4242 4242 4242", expiry: "12/30", cvc: "123" };

/** The card as the checkout takes it; its number goes to the API, never into the chat. */
function cardOf(values) {
  const [month, year] = values.expiry.split("/").map((part) => Number(part.trim()));
  return {
    number: values.number.replace(/\s+/g, ""),
    exp_month: month || 0,
    exp_year: year && year < 100 ? 2000 + year : year || 0,
    cvc: values.cvc.trim() || null,
  };
}

function Product({ card }) {
  const sizes = Object.entries(card.options || {}).filter(([, values]) => values.length > 1);
  return html`<li class="chat-card chat-product">
    ${card.picture
      ? html`<img class="picture s" src=${card.picture} alt="" width="56" height="56" loading="lazy" decoding="async" />`
      : html`<${Picture} name=${card.name} size="s" decorative />`}
    <div>
      <${Link} to=${card.href}>${card.name}</${Link}>
      <div><span class="price">${money(card.price, card.currency)}</span>${" · "}<span class=${card.in_stock ? "stock good" : "stock bad"}>${card.in_stock ? "In stock" : "Out of stock"}</span></div>
      ${sizes.map(([name, values]) => html`<div class="muted">${name}: ${values.join(", ")}</div>`)}
    </div>
  </li>`;
}

function Cart({ card }) {
  return html`<div class="chat-card">
    <b>Your cart</b>
    ${card.items.length === 0 ? html`<p class="muted">It is empty.</p>` : html`
    <ul class="chat-lines">${card.items.map((item) => html`<li>
      <span>${item.quantity} × ${item.name}</span><span>${money(item.line_total, card.currency)}</span></li>`)}</ul>
    <div class="chat-lines chat-total"><span>Total</span><b>${money(card.total, card.currency)}</b></div>`}
    <${Link} to="/shop/cart">View your cart</${Link}>
  </div>`;
}

function Order({ card }) {
  return html`<div class="chat-card">
    <div><b>Order <${Link} to=${`/account/orders/${encodeURIComponent(card.order_id)}`}>${card.number}</${Link}></b>
      ${" "}<${Badge} status=${card.status} /></div>
    <div>${money(card.total, card.currency)}${card.tracking_number && html` · ${card.carrier ? `${card.carrier} ` : ""}tracking ${card.tracking_number}`}</div>
  </div>`;
}

/** The card form: "Pay and place order" says yes with the card beside the words. */
function PaymentForm({ href, onSay }) {
  const [card, setCard] = useState({ number: "", expiry: "", cvc: "" });
  const [busy, setBusy] = useState(false);
  const set = (name) => (e) => setCard({ ...card, [name]: e.currentTarget.value });
  const pay = async (event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSay("yes", { provider: "sandbox", card: cardOf(card) });
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="chat-pay" onSubmit=${pay} aria-label="Pay by card">
    <p class="hint">A sandbox store: the test card 4242 4242 4242 4242 is accepted (any future
      expiry, any code), and nothing is charged.
      ${" "}<button type="button" class="link-button" onClick=${() => setCard(TEST_CARD)}>Use the test card</button></p>
    <${Field} label="Card number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"
      value=${card.number} onInput=${set("number")} required />
    <div class="chat-pay-row">
      <${Field} label="Expiry (MM/YY)" autocomplete="cc-exp" placeholder="12/30" value=${card.expiry} onInput=${set("expiry")} required />
      <${Field} label="Security code" inputmode="numeric" autocomplete="cc-csc" placeholder="123" value=${card.cvc} onInput=${set("cvc")} required />
    </div>
    <div class="chat-actions">
      <button class="button primary" type="submit" disabled=${busy} aria-busy=${busy}>Pay and place order</button>
      <button class="button secondary" type="button" disabled=${busy} onClick=${() => onSay("no")}>No, not yet</button>
    </div>
    ${href && html`<p class="hint">Or <${Link} to=${href}>finish on the checkout page</${Link}>.</p>`}
  </form>`;
}

function Confirmation({ card, live, onSay }) {
  return html`<div class="chat-card">
    <p><b>${card.summary}</b></p>
    ${live && card.needs_payment && html`<${PaymentForm} href=${card.href} onSay=${onSay} />`}
    ${live && !card.needs_payment && html`<div class="chat-actions">
      <button class="button primary" type="button" onClick=${() => onSay("yes")}>${card.accept || "Yes"}</button>
      <button class="button secondary" type="button" onClick=${() => onSay("no")}>${card.decline || "No"}</button>
    </div>`}
  </div>`;
}

function Other({ card, live, onSay }) {
  switch (card.type) {
    case "cart":
      return html`<${Cart} card=${card} />`;
    case "order":
      return html`<${Order} card=${card} />`;
    case "confirmation":
      return html`<${Confirmation} card=${card} live=${live} onSay=${onSay} />`;
    case "payment_form":
      return live ? html`<div class="chat-card"><${PaymentForm} href=${card.href} onSay=${onSay} /></div>` : null;
    case "ticket":
      return html`<div class="chat-card">Ticket <b>${card.number}</b> <${Badge} status=${card.status} />
        <div><${Link} to=${card.ticket_id ? `/account/tickets/${encodeURIComponent(card.ticket_id)}` : "/account/tickets"}>Follow it in your tickets</${Link}></div></div>`;
    case "faq":
      return html`<div class="chat-card"><b>${card.question}</b><p>${card.answer}</p></div>`;
    case "link":
      return html`<div class="chat-card"><${Link} to=${card.href}>${card.label}</${Link}></div>`;
    default:
      return null; // a card this console does not know yet: the words say it
  }
}

/** A message's cards: its products as one list, the rest one by one. */
export function Cards({ cards = [], live, onSay }) {
  const products = cards.filter((card) => card.type === "product");
  const others = cards.filter((card) => card.type !== "product");
  const paying = others.some((card) => card.type === "confirmation" && card.needs_payment);
  return html`${products.length > 0 && html`<ul class="chat-products">
      ${products.map((card) => html`<${Product} key=${card.product_id} card=${card} />`)}</ul>`}
    ${others
      .filter((card) => !(paying && card.type === "payment_form")) // one card form is enough
      .map((card) => html`<${Other} card=${card} live=${live} onSay=${onSay} />`)}`;
}
