// The intelligence agent's pages in the console, for the store's admins and merchants: a
// product's analyses (demand forecast with its intervals, review sentiment, competitors'
// prices and suggestions), the outside sources and their runs, the product matches waiting
// for review, the audit log of corrections and deletions, and the model registry. Every page
// is fetched when first shown: none is the shop's.
const models = () => import("./models.js");

export default {
  pages: [
    { path: "/admin/intelligence/models", title: "Models", load: () => models().then((m) => m.ModelsPage), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Intelligence", to: "/admin/intelligence/models", order: 16, roles: ["admin", "merchant"] }],
};
