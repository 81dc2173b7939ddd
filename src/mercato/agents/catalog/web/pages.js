// The catalog's pages in the console: the storefront's home, the product listing (search
// and filters) and a product's page.
import { Home } from "./home.js";
import { Listing } from "./listing.js";
import { ProductPage } from "./product.js";

export default {
  pages: [
    { path: "/", title: "Home", view: Home, area: "shop" },
    { path: "/shop", title: "Home", view: Home, area: "shop" },
    { path: "/shop/products", title: "Products", view: Listing, area: "shop" },
    { path: "/shop/products/:id", title: "Product", view: ProductPage, area: "shop" },
  ],
  nav: [
    { area: "shop", label: "Home", to: "/", order: 0 },
    { area: "shop", label: "All products", to: "/shop/products", order: 10 },
  ],
};
