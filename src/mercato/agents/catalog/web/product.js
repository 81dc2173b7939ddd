// A product's page: its picture, description and attributes, a choice of variant with its
// price and stock, and "Add to cart" (offered by the cart's pages: `cart.add`).
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Link } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Action, Field, Loading, Page, Picture, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { words } from "mercato/lib/format.js";
import { Price } from "./tiles.js";

export function ProductPage({ params }) {
  const product = useLoad(() => api("GET", `/v1/products/${encodeURIComponent(params.id)}`), [params.id]);
  if (product.loading && !product.data) return html`<${Page}><${Loading} /></${Page}>`;
  if (product.problem) {
    return html`<${Page} title="Product"><${ProblemBox} problem=${product.problem} onRetry=${product.reload} />
      <${Link} to="/shop/products">All products</${Link}></${Page}>`;
  }
  return html`<${Details} product=${product.data} />`;
}

/** The product's pictures: the chosen variant's own first, else the cover; the others as
 * buttons below it when there are several. */
function Gallery({ product, variantId }) {
  const pictures = product.pictures || [];
  const [shown, setShown] = useState(null);
  const ofVariant = pictures.find((p) => p.variant_id && p.variant_id === variantId);
  const current = pictures.find((p) => p.id === shown) || ofVariant || pictures[0];
  return html`<div class="gallery">
    <${Picture} name=${product.name} picture=${current} size="l" eager />
    ${pictures.length > 1 &&
    html`<ul class="thumbs" aria-label="Pictures">
      ${pictures.map((p, n) => html`<li key=${p.id}><button type="button" class="thumb"
        aria-pressed=${p === current ? "true" : "false"} aria-label=${`Picture ${n + 1} of ${pictures.length}: ${p.alt}`}
        onClick=${() => setShown(p.id)}><${Picture} name=${product.name} picture=${p} size="s" decorative /></button></li>`)}
    </ul>`}
  </div>`;
}

function Details({ product }) {
  const variants = product.variants.filter((v) => v.status === "active");
  const firstInStock = variants.find((v) => v.available > 0) || variants[0];
  const [chosen, setChosen] = useState(firstInStock?.id);
  const [quantity, setQuantity] = useState(1);
  const [outcome, setOutcome] = useState(null);
  const variant = variants.find((v) => v.id === chosen);
  const add = service("cart.add");
  const Related = service("search.related"); // the search agent's, when it runs
  const Reviews = service("reviews.product"); // the reviews agent's, when it runs

  const addToCart = async () => {
    setOutcome(null);
    try {
      await add(variant.id, Number(quantity));
      setOutcome({ added: `${quantity} × ${product.name}${variants.length > 1 ? ` (${variant.title})` : ""}` });
    } catch (problem) {
      setOutcome({ problem });
    }
  };
  return html`<${Page} title=${product.name}>
    <div class="row">
      <div class="grow"><${Gallery} product=${product} variantId=${chosen} /></div>
      <div class="grow panel">
        <p class="price-line"><${Price} price=${variant?.price || product.price}
          was=${variant?.compare_at_price || product.compare_at_price} currency=${product.currency} /></p>
        ${variants.length > 1 &&
        html`<fieldset class="variants"><legend>Choose one</legend>
          ${variants.map((v) => html`<label class="variant">
            <input type="radio" name="variant" value=${v.id} checked=${v.id === chosen}
              onChange=${() => { setChosen(v.id); setOutcome(null); }} />
            ${v.title}${v.available <= 0 ? " (sold out)" : ""}
          </label>`)}
        </fieldset>`}
        ${variant && html`<p class=${variant.available > 0 ? "stock good" : "stock bad"}>
          ${variant.available > 0 ? `In stock (${variant.available} available)` : "Out of stock"}</p>`}
        ${add && variant && variant.available > 0 &&
        html`<div class="inline-form">
          <${Field} label="Quantity" type="number" min="1" max=${Math.min(variant.available, 99)} class="qty"
            value=${quantity} onInput=${(e) => setQuantity(e.currentTarget.value)} />
          <${Action} onClick=${addToCart} busyLabel="Adding…">Add to cart</${Action}>
        </div>`}
        ${outcome?.added &&
        html`<p class="notice" role="status">Added ${outcome.added}. <${Link} to="/shop/cart">View cart</${Link}></p>`}
        <${ProblemBox} problem=${outcome?.problem} />
        <h2>About this product</h2>
        <p>${product.description}</p>
        <dl class="facts">
          ${Object.entries({ ...product.attributes, ...(variant?.attributes || {}) }).map(
            ([name, value]) => html`<dt>${words(name)}</dt><dd>${value}</dd>`,
          )}
          <dt>SKU</dt><dd>${variant?.sku}</dd>
          <dt>Shipping</dt><dd>${product.requires_shipping ? "Shipped to your address" : "Digital: nothing to ship"}</dd>
        </dl>
      </div>
    </div>
    ${Reviews && html`<${Reviews} productId=${product.id} />`}
    ${Related && html`<${Related} productId=${product.id} />`}
  </${Page}>`;
}
