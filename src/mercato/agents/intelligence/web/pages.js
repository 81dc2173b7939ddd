// The intelligence agent's pages in the console, for the store's admins and merchants: a
// product's analyses (demand forecast with its intervals, review sentiment, competitors'
// prices and suggestions), the outside sources and their runs, the product matches waiting
// for review, the audit log of corrections and deletions, the model registry, questions asked
// in plain words and their reports, and the preferences, token usage and alerts. Every page
// is fetched when first shown: none is the shop's.
const products = () => import("./products.js");
const models = () => import("./models.js");
const data = () => import("./data.js");
const ask = () => import("./ask.js");
const reports = () => import("./reports.js");
const governance = () => import("./governance.js");

export default {
  pages: [
    { path: "/admin/intelligence", title: "Intelligence", load: () => products().then((m) => m.ProductsPage), area: "admin" },
    { path: "/admin/intelligence/products/:id", title: "Product intelligence", load: () => products().then((m) => m.ProductAnalysis), area: "admin" },
    { path: "/admin/intelligence/sources", title: "Sources", load: () => data().then((m) => m.SourcesPage), area: "admin" },
    { path: "/admin/intelligence/matches", title: "Product matches", load: () => data().then((m) => m.MatchesPage), area: "admin" },
    { path: "/admin/intelligence/audit", title: "Audit log", load: () => data().then((m) => m.AuditPage), area: "admin" },
    { path: "/admin/intelligence/models", title: "Models", load: () => models().then((m) => m.ModelsPage), area: "admin" },
    { path: "/admin/intelligence/ask", title: "Ask", load: () => ask().then((m) => m.AskPage), area: "admin" },
    { path: "/admin/intelligence/reports", title: "Reports", load: () => reports().then((m) => m.ReportsPage), area: "admin" },
    { path: "/admin/intelligence/reports/:id", title: "Report", load: () => reports().then((m) => m.StoredReport), area: "admin" },
    { path: "/admin/intelligence/settings", title: "Settings & usage", load: () => governance().then((m) => m.SettingsPage), area: "admin" },
  ],
  nav: [
    { area: "admin", label: "Intelligence", to: "/admin/intelligence", order: 16, roles: ["admin", "merchant"] },
    { area: "admin", label: "Ask intelligence", to: "/admin/intelligence/ask", order: 17, roles: ["admin", "merchant"] },
  ],
};
