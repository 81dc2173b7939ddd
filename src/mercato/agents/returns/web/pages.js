// The returns agent's pages in the console: for a shopper, "Return items" of a delivered
// order, their returns and one return (its label to print), and the parts it offers the
// other agents' pages (`service(name)`, drawn where they run):
//   returns.order   the order's returns and "Return items" (the shopper's order page; `{ order }`)
//   returns.credit  the store credit balance and history (the account page)
// For staff, the returns queue by status and one return with the steps of its status.
import { provide } from "mercato/lib/services.js";
import { MyReturn, MyReturns, OrderReturns, StoreCredit } from "./mine.js";
import { ReturnRequest } from "./request.js";
import { stylesheet } from "./parts.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const queue = () => import("./queue.js");
const detail = () => import("./admin_return.js");

stylesheet();
provide("returns.order", OrderReturns);
provide("returns.credit", StoreCredit);

export default {
  pages: [
    { path: "/account/orders/:id/return", title: "Return items", view: ReturnRequest, area: "account" },
    { path: "/account/returns", title: "Your returns", view: MyReturns, area: "account" },
    { path: "/account/returns/:id", title: "Return", view: MyReturn, area: "account" },
    { path: "/admin/returns", title: "Returns", load: () => queue().then((m) => m.ReturnsQueue), area: "admin" },
    { path: "/admin/returns/:id", title: "Return", load: () => detail().then((m) => m.AdminReturn), area: "admin" },
  ],
  nav: [
    { area: "account", label: "Returns", to: "/account/returns", order: 12 },
    { area: "admin", label: "Returns", to: "/admin/returns", order: 14, roles: ["admin", "support"] },
  ],
};
