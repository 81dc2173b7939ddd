// The signed-in user's account: who they are, their orders (offered by the orders' pages),
// and sign out (the refresh token is revoked on the server, then forgotten here).
import { html } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { forget, signedIn } from "mercato/lib/credentials.js";
import { Link, navigate } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Action, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { day } from "mercato/lib/format.js";

export function AccountPage() {
  const me = useLoad(() => (signedIn() ? api("GET", "/v1/me") : Promise.resolve(null)), []);
  if (!signedIn()) {
    return html`<${Page} title="Your account"><div class="panel">
      <p>Sign in to see your orders and keep your cart on every device.</p>
      <${Link} to="/account/sign-in" class="button primary" style="text-decoration:none;display:inline-block">Sign in</${Link}>
      <span class="muted"> or </span><${Link} to="/account/sign-up">create an account</${Link}>
    </div></${Page}>`;
  }
  const Credit = service("returns.credit"); // the returns agent's, when it runs
  const signOut = async () => {
    try {
      await api("POST", "/v1/auth/logout", { body: { refresh_token: signedIn().refresh_token } });
    } finally {
      forget();
      navigate("/");
    }
  };
  return html`<${Page} title="Your account" actions=${html`<${Action} kind="secondary" onClick=${signOut}>Sign out</${Action}>`}>
    ${me.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${me.problem} onRetry=${me.reload} />
    ${me.data && html`<div class="panel"><dl class="facts">
      <dt>Name</dt><dd>${me.data.full_name}</dd>
      <dt>Email</dt><dd>${me.data.email}${me.data.email_verified ? "" : " (not verified yet)"}</dd>
      <dt>Member since</dt><dd>${day(me.data.created_at)}</dd>
    </dl></div>`}
    ${Credit && html`<${Credit} />`}
    <p><${Link} to="/account/orders">Your orders</${Link}></p>
  </${Page}>`;
}
