// The shopper's cart as the console knows it: its id is kept per shopper (a guest's session
// or a signed-in user) so a reload finds it, and every change is announced (`cart`) so the
// header's count follows. A guest gets a session the first time a cart is needed.
import { api } from "mercato/lib/api.js";
import { credentials, guest, rememberGuest, signedIn, onCredentials } from "mercato/lib/credentials.js";
import { emit } from "mercato/lib/services.js";

const KEY = "mercato.cart";
let known = null;

function owner() {
  return signedIn()?.user?.id || guest()?.session_token || null;
}

function remembered() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    return saved && saved.owner === owner() ? saved.id : null;
  } catch {
    return null;
  }
}

function keep(cart) {
  known = cart && cart.status === "active" ? cart : null;
  if (known) localStorage.setItem(KEY, JSON.stringify({ owner: owner(), id: known.id }));
  else localStorage.removeItem(KEY);
  emit("cart", known);
  return known;
}

onCredentials(() => {
  // signed in (the guest's cart merged into the account's), out, or a token refreshed: the
  // cart is read again for whoever the shopper is now
  known = null;
  current().then(
    (cart) => emit("cart", cart),
    () => emit("cart", null),
  );
});

async function ensureShopper() {
  if (Object.keys(credentials()).length > 0) return;
  rememberGuest(await api("POST", "/v1/sessions", { body: {} }));
}

/** The shopper's active cart, made now if `create` and there is none; null otherwise. */
export async function current({ create = false } = {}) {
  if (known) return known;
  const id = remembered();
  if (id) {
    try {
      const cart = await api("GET", `/v1/carts/${id}`);
      if (cart.status === "active") return keep(cart);
    } catch (problem) {
      if (problem.status !== 404 && problem.status !== 403) throw problem;
    }
  }
  if (!create && Object.keys(credentials()).length === 0) return null;
  if (!create && !signedIn()) return null;
  await ensureShopper();
  return keep(await api("POST", "/v1/carts"));
}

export async function refresh() {
  known = null;
  return current();
}

/** Put `quantity` of a variant in the cart (a line already there grows). */
export async function add(variantId, quantity) {
  const cart = await current({ create: true });
  return keep(await api("POST", `/v1/carts/${cart.id}/items`, { body: { variant_id: variantId, quantity } }));
}

export async function change(itemId, quantity) {
  const cart = await current({ create: true });
  return keep(await api("PATCH", `/v1/carts/${cart.id}/items/${itemId}`, { body: { quantity } }));
}

export async function remove(itemId) {
  const cart = await current({ create: true });
  return keep(await api("DELETE", `/v1/carts/${cart.id}/items/${itemId}`));
}

export async function applyCode(code) {
  const cart = await current({ create: true });
  return keep(await api("POST", `/v1/carts/${cart.id}/codes`, { body: { code } }));
}

export async function removeCode(code) {
  const cart = await current({ create: true });
  return keep(await api("DELETE", `/v1/carts/${cart.id}/codes/${encodeURIComponent(code)}`));
}

export async function acceptPrices() {
  const cart = await current({ create: true });
  return keep(await api("POST", `/v1/carts/${cart.id}/accept-prices`));
}

/** The cart was checked out (or given up): the next one is a new cart. */
export function forgetCart() {
  keep(null);
}
