// Identity's pages in the console: sign in, create an account, the account and sign out.
import { AccountPage } from "./account.js";
import { SignIn, SignUp } from "./sign_in.js";

export default {
  pages: [
    { path: "/account/sign-in", title: "Sign in", view: SignIn, area: "account" },
    { path: "/account/sign-up", title: "Create an account", view: SignUp, area: "account" },
    { path: "/account", title: "Your account", view: AccountPage, area: "account" },
  ],
  nav: [{ area: "account", label: "Account", to: "/account", order: 0 }],
};
