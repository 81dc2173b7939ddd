// The analytics agent's pages in the console, for the store's admins and its merchants (a
// merchant sees the sales of its own lines; the reports of whole orders say they are the
// admins'): the dashboard (KPIs live, revenue over time, sales by group, the funnel, top
// products and categories), customers (new and returning, cohort retention), inventory
// (turnover, days of cover), carts (abandonment, recovery) and, for admins, the settings
// (the store's time zone). Every page is fetched when first shown: none is the shop's.
const dashboard = () => import("./dashboard.js");
const customers = () => import("./customers.js");
const stock = () => import("./stock.js");
const settings = () => import("./settings.js");

export default {
  pages: [
    { path: "/admin/analytics", title: "Analytics", load: () => dashboard().then((m) => m.Dashboard), area: "admin" },
    { path: "/admin/analytics/customers", title: "Customers", load: () => customers().then((m) => m.CustomersPage), area: "admin" },
    { path: "/admin/analytics/inventory", title: "Inventory", load: () => stock().then((m) => m.InventoryPage), area: "admin" },
    { path: "/admin/analytics/carts", title: "Carts", load: () => stock().then((m) => m.CartsPage), area: "admin" },
    { path: "/admin/analytics/settings", title: "Analytics settings", load: () => settings().then((m) => m.SettingsPage), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Analytics", to: "/admin/analytics", order: 15, roles: ["admin", "merchant"] }],
};
