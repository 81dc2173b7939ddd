// Identity's pages in the console: sign in, create an account, the account and sign out.
import { AccountPage } from "./account.js";
import { SignIn, SignUp } from "./sign_in.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const adminPeople = () => import("./admin_people.js");

export default {
  pages: [
    { path: "/account/sign-in", title: "Sign in", view: SignIn, area: "account" },
    { path: "/account/sign-up", title: "Create an account", view: SignUp, area: "account" },
    { path: "/account", title: "Your account", view: AccountPage, area: "account" },
    { path: "/admin/people", title: "People", load: () => adminPeople().then((m) => m.Users), area: "admin" },
    { path: "/admin/api-keys", title: "API keys", load: () => adminPeople().then((m) => m.ApiKeys), area: "admin" },
  ],
  nav: [
    { area: "account", label: "Account", to: "/account", order: 0 },
    { area: "admin", label: "People", to: "/admin/people", order: 60, roles: ["admin"] },
    { area: "admin", label: "API keys", to: "/admin/api-keys", order: 65, roles: ["admin"] },
  ],
};
