// The orders' pages in the console: checkout, an order (its lines, totals and timeline; the
// shopper may cancel it), and the signed-in shopper's order history.
import { CheckoutPage } from "./checkout.js";
import { OrderPage } from "./order.js";
import { OrderHistory } from "./history.js";
import { AdminOrder } from "./admin_order.js";
import { AdminOrders } from "./admin_orders.js";
import { Dashboard } from "./dashboard.js";

export default {
  pages: [
    { path: "/shop/checkout", title: "Checkout", view: CheckoutPage, area: "shop" },
    { path: "/account/orders", title: "Your orders", view: OrderHistory, area: "account" },
    { path: "/account/orders/:id", title: "Order", view: OrderPage, area: "account" },
    { path: "/admin", title: "Today", view: Dashboard, area: "admin" },
    { path: "/admin/orders", title: "Orders", view: AdminOrders, area: "admin" },
    { path: "/admin/orders/:id", title: "Order", view: AdminOrder, area: "admin" },
  ],
  nav: [
    { area: "account", label: "Orders", to: "/account/orders", order: 10 },
    { area: "admin", label: "Today", to: "/admin", order: 0 },
    { area: "admin", label: "Orders", to: "/admin/orders", order: 10 },
  ],
};
