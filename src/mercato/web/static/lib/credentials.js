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

let inflight = null;

/** A new token pair for the signed-in user; false (and signed out) if the refresh is refused.
 * One refresh at a time: a refresh token is spent by its first use, and the server takes a
 * second use of it for theft (the whole login is revoked). `sent`: the access token the
 * refused request carried; if another request has refreshed it since, there is nothing to do. */
export function refreshed(sent) {
  const user = signedIn();
  if (!user) return Promise.resolve(false);
  if (sent && sent !== `Bearer ${user.access_token}`) return Promise.resolve(true);
  inflight ??= refresh(user).finally(() => {
    inflight = null;
  });
  return inflight;
}

async function refresh(user) {
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
