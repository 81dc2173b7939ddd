// Inventory's pages in the console (staff): stock per location with adjustments and
// reorder points, transfers and receipts, and the reservations holding stock.
import { Levels } from "./levels.js";
import { Movements } from "./movements.js";
import { Reservations } from "./reservations.js";

export default {
  pages: [
    { path: "/admin/inventory", title: "Stock", view: Levels, area: "admin" },
    { path: "/admin/inventory/moves", title: "Receive and transfer", view: Movements, area: "admin" },
    { path: "/admin/inventory/reservations", title: "Reservations", view: Reservations, area: "admin" },
  ],
  nav: [{ area: "admin", label: "Stock", to: "/admin/inventory", order: 30, roles: ["admin", "support"] }],
};
