// The shipping agent's pages in the console: for staff, the shipments (a list by status and
// carrier, one shipment with its tracking and what may happen next), the carriers' manifests
// and, for admins, the shipping set-up (carriers, zones, rate tables, ship-from addresses).
// It offers the other agents' pages three parts (`service(name)`, drawn where they run):
//   shipping.options     the cart's shipping options (the cart page; `{ cart }`)
//   shipping.tracking    an order's shipments and tracking (the shopper's order page; `{ order }`)
//   shipping.fulfilment  an order's units, plan and shipments, "Create shipment" (the admin
//                        order page; `{ order, onChange }`)
import { provide } from "mercato/lib/services.js";
import { ShippingOptions } from "./options.js";
import { OrderTracking } from "./tracking.js";
import { lazy, stylesheet } from "./parts.js";
// Fetched when first shown: staff pages and parts stay out of the shop's load.
const shipments = () => import("./shipments.js");
const manifests = () => import("./manifests.js");
const settings = () => import("./settings.js");

stylesheet();
provide("shipping.options", ShippingOptions);
provide("shipping.tracking", OrderTracking);
provide("shipping.fulfilment", lazy(() => import("./fulfilment.js").then((m) => m.FulfilmentPanel)));

export default {
  pages: [
    { path: "/admin/shipments", title: "Shipments", load: () => shipments().then((m) => m.AdminShipments), area: "admin" },
    { path: "/admin/shipments/:id", title: "Shipment", load: () => shipments().then((m) => m.ShipmentPage), area: "admin" },
    { path: "/admin/shipping/manifests", title: "Manifests", load: () => manifests().then((m) => m.ManifestsPage), area: "admin" },
    { path: "/admin/shipping/settings", title: "Shipping settings", load: () => settings().then((m) => m.SettingsPage), area: "admin" },
  ],
  nav: [
    { area: "admin", label: "Shipments", to: "/admin/shipments", order: 12, roles: ["admin", "support"] },
    { area: "admin", label: "Shipping", to: "/admin/shipping/settings", order: 46, roles: ["admin"] },
  ],
};
