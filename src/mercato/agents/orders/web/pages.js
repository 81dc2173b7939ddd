// The orders' pages in the console: checkout, an order (its lines, totals and timeline; the
// shopper may cancel it), and the signed-in shopper's order history.
import { CheckoutPage } from "./checkout.js";
import { OrderPage } from "./order.js";
import { OrderHistory } from "./history.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const adminOrder = () => import("./admin_order.js");
const adminOrders = () => import("./admin_orders.js");
const dashboard = () => import("./dashboard.js");

export default {
  pages: [
    { path: "/shop/checkout", title: "Checkout", view: CheckoutPage, area: "shop" },
    { path: "/account/orders", title: "Your orders", view: OrderHistory, area: "account" },
    { path: "/account/orders/:id", title: "Order", view: OrderPage, area: "account" },
    { path: "/admin", title: "Today", load: () => dashboard().then((m) => m.Dashboard), area: "admin" },
    { path: "/admin/orders", title: "Orders", load: () => adminOrders().then((m) => m.AdminOrders), area: "admin" },
    { path: "/admin/orders/:id", title: "Order", load: () => adminOrder().then((m) => m.AdminOrder), area: "admin" },
  ],
  nav: [
    { area: "account", label: "Orders", to: "/account/orders", order: 10 },
    { area: "admin", label: "Today", to: "/admin", order: 0 },
    { area: "admin", label: "Orders", to: "/admin/orders", order: 10 },
  ],
};
