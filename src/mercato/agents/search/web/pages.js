// The search agent's pages in the console: the shop's search results (words, facets, "did
// you mean"), and for staff what shoppers search for and the store's synonyms. The catalog's
// pages ask for `search.href` (where the search box sends its words) and `search.related`
// (what to show beside a product).
import { provide } from "mercato/lib/services.js";
import { Related } from "./related.js";

const results = () => import("./results.js");
const adminSearch = () => import("./admin_search.js");

provide("search.href", (q) => `/shop/search?q=${encodeURIComponent(q)}`);
provide("search.related", Related);

export default {
  pages: [
    { path: "/shop/search", title: "Search", load: () => results().then((m) => m.SearchPage), area: "shop" },
    { path: "/admin/search", title: "Search", load: () => adminSearch().then((m) => m.AdminSearch), area: "admin" },
  ],
  nav: [{ area: "admin", label: "Search", to: "/admin/search", order: 27, roles: ["admin", "support"] }],
};
