// Inventory's pages in the console (staff): stock per location with adjustments and
// reorder points, transfers and receipts, and the reservations holding stock.
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const levels = () => import("./levels.js");
const movements = () => import("./movements.js");
const reservations = () => import("./reservations.js");

export default {
  pages: [
    { path: "/admin/inventory", title: "Stock", load: () => levels().then((m) => m.Levels), area: "admin" },
    { path: "/admin/inventory/moves", title: "Receive and transfer", load: () => movements().then((m) => m.Movements), area: "admin" },
    { path: "/admin/inventory/reservations", title: "Reservations", load: () => reservations().then((m) => m.Reservations), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Stock", to: "/admin/inventory", order: 30, roles: ["admin", "support"] }],
};
