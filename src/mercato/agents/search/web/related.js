// Beside a product: what confirmed orders held with it ("Often bought together"), or, while
// nobody has bought it with anything, products like it ("You may also like").
import { html, useEffect } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { service } from "mercato/lib/services.js";
import { useLoad } from "mercato/lib/ui.js";

export function Related({ productId }) {
  useEffect(() => { // the shopper looked at it: a little more popular, and of interest to them
    api("POST", "/v1/search/views", { body: { product_id: productId } }).catch(() => {});
  }, [productId]);
  const found = useLoad(
    () => api("GET", `/v1/products/${encodeURIComponent(productId)}/recommendations?kind=bought_together&limit=4`),
    [productId],
  );
  const Tile = service("catalog.tile");
  if (!found.data || found.data.items.length === 0 || !Tile) return null; // nothing to offer is no error
  const title = found.data.kind === "bought_together" ? "Often bought together" : "You may also like";
  return html`<section aria-labelledby="related-heading" class="related">
    <h2 id="related-heading">${title}</h2>
    <ul class="grid">${found.data.items.map((p) => html`<${Tile} key=${p.id} product=${p} />`)}</ul>
  </section>`;
}
