// The intelligence agent's pages in the console, for the store's admins and merchants: a
// product's analyses (demand forecast with its intervals, review sentiment, competitors'
// prices and suggestions), the outside sources and their runs, the product matches waiting
// for review, the audit log of corrections and deletions, and the model registry. Every page
// is fetched when first shown: none is the shop's.
const products = () => import("./products.js");
const models = () => import("./models.js");
const data = () => import("./data.js");

export default {
  pages: [
    { path: "/admin/intelligence", title: "Intelligence", load: () => products().then((m) => m.ProductsPage), area: "admin" },
    { path: "/admin/intelligence/products/:id", title: "Product intelligence", load: () => products().then((m) => m.ProductAnalysis), area: "admin" },
    { path: "/admin/intelligence/sources", title: "Sources", load: () => data().then((m) => m.SourcesPage), area: "admin" },
    { path: "/admin/intelligence/matches", title: "Product matches", load: () => data().then((m) => m.MatchesPage), area: "admin" },
    { path: "/admin/intelligence/audit", title: "Audit log", load: () => data().then((m) => m.AuditPage), area: "admin" },
    { path: "/admin/intelligence/models", title: "Models", load: () => models().then((m) => m.ModelsPage), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Intelligence", to: "/admin/intelligence", order: 16, roles: ["admin", "merchant"] }],
};
