// "Cart (3)" in the header: the count of units in the shopper's cart, kept up to date.
import { html, useEffect, useState } from "preact-htm";
import { Link } from "mercato/lib/router.js";
import { on } from "mercato/lib/services.js";
import { current } from "./state.js";

export function CartLink() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const show = (cart) => setCount(cart ? cart.items.reduce((n, item) => n + item.quantity, 0) : 0);
    const stop = on("cart", show);
    current().then(show, () => show(null));
    return stop;
  }, []);
  return html`<${Link} to="/shop/cart" class="cart-link" aria-label=${`Cart, ${count} item${count === 1 ? "" : "s"}`}>
    Cart <span class="count" aria-hidden="true">${count}</span>
  </${Link}>`;
}
