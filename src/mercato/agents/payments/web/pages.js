// The payments' pages in the console (staff only: fetched when first shown).
const payments = () => import("./payments.js");

export default {
  pages: [
    { path: "/admin/payments", title: "Payments", load: () => payments().then((m) => m.Payments), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Payments", to: "/admin/payments", order: 50, roles: ["admin", "support"] }],
};
