// The orders' pages in the console: checkout, an order (its lines, totals and timeline; the
// shopper may cancel it), and the signed-in shopper's order history.
import { CheckoutPage } from "./checkout.js";
import { OrderPage } from "./order.js";
import { OrderHistory } from "./history.js";

export default {
  pages: [
    { path: "/shop/checkout", title: "Checkout", view: CheckoutPage, area: "shop" },
    { path: "/account/orders", title: "Your orders", view: OrderHistory, area: "account" },
    { path: "/account/orders/:id", title: "Order", view: OrderPage, area: "account" },
  ],
  nav: [{ area: "account", label: "Orders", to: "/account/orders", order: 10 }],
};
