// The reviews agent's pages in the console: on a product's page (offered to the catalog as
// "reviews.product"), its rating summary, reviews and a form; the customer's own reviews;
// for staff, the Reviews moderation page.
import { provide } from "mercato/lib/services.js";
import { ProductReviews } from "./product_reviews.js";
import { MyReviews } from "./my_reviews.js";

provide("reviews.product", ProductReviews);
// Fetched when first shown: staff pages stay out of the shop's load.
const moderation = () => import("./moderation.js");

export default {
  pages: [
    { path: "/account/reviews", title: "Your reviews", view: MyReviews, area: "account" },
    { path: "/admin/reviews", title: "Reviews", load: () => moderation().then((m) => m.Moderation), area: "admin" },
  ],
  nav: [
    { area: "account", label: "Reviews", to: "/account/reviews", order: 30 },
    { area: "admin", label: "Reviews", to: "/admin/reviews", order: 32, roles: ["admin", "support"] },
  ],
};
