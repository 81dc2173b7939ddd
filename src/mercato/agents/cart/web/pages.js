// The cart's pages in the console: the cart itself, the header's count, and what the other
// agents' pages may ask of the cart (`cart.add`, `cart.current`, `cart.forget`).
import { provide } from "mercato/lib/services.js";
import { CartPage } from "./cart.js";
import { CartLink } from "./cart_link.js";
import * as state from "./state.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const adminPricing = () => import("./admin_pricing.js");

provide("cart.add", state.add);
provide("cart.current", state.current);
provide("cart.refresh", state.refresh);
provide("cart.forget", state.forgetCart);

export default {
  pages: [
    { path: "/shop/cart", title: "Your cart", view: CartPage, area: "shop" },
    { path: "/admin/discount-codes", title: "Discount codes", load: () => adminPricing().then((m) => m.DiscountCodes), area: "admin" },
    { path: "/admin/tax-rates", title: "Tax rates", load: () => adminPricing().then((m) => m.TaxRates), area: "admin" },
  ],
  nav: [
    { area: "admin", label: "Discounts", to: "/admin/discount-codes", order: 40, roles: ["admin"] },
    { area: "admin", label: "Taxes", to: "/admin/tax-rates", order: 45, roles: ["admin"] },
  ],
  header: [CartLink],
};
