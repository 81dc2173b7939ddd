// Who the console speaks for: a signed-in user's token pair, or a guest's session (made on
// first need: a cart). Kept in localStorage so a reload keeps the shopper's cart and account;
// every change is announced to the pages (`onCredentials`).
const USER = "mercato.user";
const GUEST = "mercato.guest";
const listeners = new Set();

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

function write(key, value) {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(value));
  for (const listener of listeners) listener();
}

export function onCredentials(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The signed-in user ({access_token, refresh_token, user}), or null. */
export const signedIn = () => read(USER);
export const guest = () => read(GUEST);

/** The headers that say who is asking. */
export function credentials() {
  const user = signedIn();
  if (user) return { authorization: `Bearer ${user.access_token}` };
  const session = guest();
  if (session && new Date(session.expires_at) > new Date()) {
    return { "x-session-token": session.session_token };
  }
  return {};
}

export function remember(pair) {
  write(USER, { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user });
  write(GUEST, null); // the guest session was promoted at sign-in: its cart is the user's now
}

export function rememberGuest(session) {
  write(GUEST, session);
}

export function forget() {
  write(USER, null);
}

/** A new token pair for the signed-in user; false (and signed out) if the refresh is refused. */
export async function refreshed() {
  const user = signedIn();
  if (!user) return false;
  const response = await fetch("/v1/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: user.refresh_token }),
  });
  if (!response.ok) {
    forget();
    return false;
  }
  remember(await response.json());
  return true;
}

/** Roles of the signed-in user (none for a guest). */
export function roles() {
  return signedIn()?.user?.roles || [];
}
