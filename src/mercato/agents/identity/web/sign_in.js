// Sign in and sign up. A guest's session goes with the request, so the guest's cart becomes
// the account's (the API merges it); the page then goes where the shopper was headed.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { credentials, remember } from "mercato/lib/credentials.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Field, Page, ProblemBox } from "mercato/lib/ui.js";

function useForm(initial) {
  const [values, setValues] = useState(initial);
  const bind = (name) => ({ name, value: values[name], onInput: (e) => setValues({ ...values, [name]: e.currentTarget.value }) });
  return [values, bind];
}

/** Where to go once signed in: a path of this console only (anything else: the account). */
function next(query) {
  try {
    const to = new URL(query.get("next") || "/account", location.origin);
    return to.origin === location.origin ? to.pathname + to.search : "/account";
  } catch {
    return "/account";
  }
}

async function signIn(email, password) {
  const pair = await api("POST", "/v1/auth/login", { body: { email, password }, headers: credentials() });
  remember(pair);
}

/** A form that signs the shopper in by `act(values)`, then goes where they were headed:
 * its values, field binding, busy flag, problem (field errors beside their fields) and submit. */
function useAccountForm(initial, act, query) {
  const [values, bind] = useForm(initial);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await act(values);
      navigate(next(query), { replace: true });
    } catch (p) {
      setProblem(p);
    } finally {
      setBusy(false);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  const shown = problem && problem.code !== "validation_failed" ? problem : null;
  return { bind, busy, errors, shown, submit };
}

export function SignIn({ query }) {
  const form = useAccountForm({ email: "", password: "" }, (v) => signIn(v.email, v.password), query);
  const { bind, errors } = form;
  return html`<${Page} title="Sign in">
    <form class="panel narrow" onSubmit=${form.submit} noValidate>
      <${ProblemBox} problem=${form.shown} />
      <${Field} label="Email" type="email" autocomplete="email" required error=${errors.email} ...${bind("email")} />
      <${Field} label="Password" type="password" autocomplete="current-password" required error=${errors.password} ...${bind("password")} />
      <button class="button primary" type="submit" disabled=${form.busy}>${form.busy ? "Signing in…" : "Sign in"}</button>
      <p>New here? <${Link} to=${`/account/sign-up${query.get("next") ? `?next=${encodeURIComponent(query.get("next"))}` : ""}`}>Create an account</${Link}></p>
    </form>
  </${Page}>`;
}

async function register(values) {
  await api("POST", "/v1/auth/register", { body: values, headers: credentials() });
  await signIn(values.email, values.password);
}

export function SignUp({ query }) {
  const form = useAccountForm({ full_name: "", email: "", password: "" }, register, query);
  const { bind, errors } = form;
  return html`<${Page} title="Create an account">
    <form class="panel narrow" onSubmit=${form.submit} noValidate>
      <${ProblemBox} problem=${form.shown} />
      <${Field} label="Full name" autocomplete="name" required error=${errors.full_name} ...${bind("full_name")} />
      <${Field} label="Email" type="email" autocomplete="email" required error=${errors.email} ...${bind("email")} />
      <${Field} label="Password" type="password" autocomplete="new-password" required
        hint="At least 10 characters, not a common password" error=${errors.password} ...${bind("password")} />
      <button class="button primary" type="submit" disabled=${form.busy}>${form.busy ? "Creating…" : "Create account"}</button>
      <p>Have an account? <${Link} to="/account/sign-in">Sign in</${Link}></p>
    </form>
  </${Page}>`;
}
