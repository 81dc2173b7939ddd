// The catalog's pages in the console: the storefront's home, the product listing (search
// and filters) and a product's page.
import { provide } from "mercato/lib/services.js";
import { Home } from "./home.js";
import { Listing } from "./listing.js";
import { ProductPage } from "./product.js";
import { ProductTile } from "./tiles.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const adminCategories = () => import("./admin_categories.js");
const adminProducts = () => import("./admin_products.js");

provide("catalog.tile", ProductTile);

export default {
  pages: [
    { path: "/", title: "Home", view: Home, area: "shop" },
    { path: "/shop", title: "Home", view: Home, area: "shop" },
    { path: "/shop/products", title: "Products", view: Listing, area: "shop" },
    { path: "/shop/products/:id", title: "Product", view: ProductPage, area: "shop" },
    { path: "/admin/products", title: "Products", load: () => adminProducts().then((m) => m.AdminProducts), area: "admin" },
    { path: "/admin/products/new", title: "New product", load: () => adminProducts().then((m) => m.NewProduct), area: "admin" },
    { path: "/admin/products/:id", title: "Product", load: () => adminProducts().then((m) => m.AdminProduct), area: "admin" },
    { path: "/admin/categories", title: "Categories", load: () => adminCategories().then((m) => m.Categories), area: "admin" },
  ],
  nav: [
    { area: "shop", label: "Home", to: "/", order: 0 },
    { area: "shop", label: "All products", to: "/shop/products", order: 10 },
    { area: "admin", label: "Products", to: "/admin/products", order: 20 },
    { area: "admin", label: "Categories", to: "/admin/categories", order: 25, roles: ["admin"] },
  ],
};
