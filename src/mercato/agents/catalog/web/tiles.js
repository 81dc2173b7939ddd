// A product as the storefront lists it: picture, name, price (and the price it replaced).
import { html, Picture } from "mercato/lib/ui.js";
import { Link } from "mercato/lib/router.js";
import { money } from "mercato/lib/format.js";

export function Price({ price, was, currency }) {
  return html`<span class="price">${money(price, currency)}${was &&
    Number(was) > Number(price) &&
    html`<span class="was"><span class="visually-hidden">was </span>${money(was, currency)}</span>`}</span>`;
}

/** A product's tile; `onOpen` hears that it was opened (a search counts its clicks). */
export function ProductTile({ product, onOpen }) {
  return html`<li class="tile" onClickCapture=${onOpen}>
    <${Link} to=${`/shop/products/${product.id}`} class="tile-link">
      <${Picture} name=${product.name} picture=${product.pictures?.[0]} decorative />
      <div class="tile-body">
        <span class="name">${product.name}</span>
        <${Price} price=${product.price} was=${product.compare_at_price} currency=${product.currency} />
        <span class=${product.in_stock ? "stock good" : "stock bad"}>${product.in_stock ? "In stock" : "Out of stock"}</span>
      </div>
    </${Link}>
  </li>`;
}

export function ProductGrid({ products }) {
  return html`<ul class="grid">${products.map((p) => html`<${ProductTile} key=${p.id} product=${p} />`)}</ul>`;
}
