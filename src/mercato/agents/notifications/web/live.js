// The signed-in user's inbox as it changes: one WebSocket per tab
// (`/v1/me/notifications/ws`: `hello` with the unread count, then each `notification` as the
// sender delivers it), shared by the header's bell and the inbox page. A dropped socket is
// opened again, later each time; where no socket can be opened at all, the inbox is polled
// over HTTP instead (and the socket tried again now and then). Listeners hear
// `{type: "unread", unread}`, each `{type: "notification", id, kind, title, body, data}`,
// `{type: "resync"}` after a reconnection (what came meanwhile is only in the inbox: a page
// reloads it), and what was marked read here (`read`, `read-all`).
import { api } from "mercato/lib/api.js";
import { onCredentials, refreshed, signedIn } from "mercato/lib/credentials.js";

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const PING_MS = 25_000;
const POLL_MS = 60_000;

const listeners = new Set();
let unreadCount = null;
let who = null; // the user the line is open for
let socket = null;
let opened = false; // whether a socket ever opened for this user (else: poll)
let tries = 0;
let timer = null;
let pinger = null;
let poller = null;
let seen = null; // the unread ids the poll has seen (null before its first look)

/** Follow the inbox; the line is open while anyone follows. Returns the unfollow. */
export function follow(listener) {
  listeners.add(listener);
  if (listeners.size === 1) start();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stop();
  };
}

/** The unread count last heard (null before the first word from the server). */
export const unread = () => unreadCount;

/** A page changed the count (it marked some read, or loaded the inbox). */
export function setUnread(count) {
  unreadCount = Math.max(0, count);
  emit({ type: "unread", unread: unreadCount });
}

/** Mark one notification read (`wasUnread`: it counted among the unread); every follower
 * hears `{type: "read", item}`. */
export async function markRead(id, { wasUnread = true } = {}) {
  const item = await api("POST", `/v1/me/notifications/${encodeURIComponent(id)}/read`);
  emit({ type: "read", item });
  if (wasUnread && unreadCount !== null) setUnread(unreadCount - 1);
  return item;
}

/** Mark them all read; followers hear `{type: "read-all"}` and the count is 0. */
export async function markAllRead() {
  const answer = await api("POST", "/v1/me/notifications/read-all");
  emit({ type: "read-all" });
  setUnread(0);
  return answer;
}

onCredentials(() => {
  const now = signedIn()?.user?.id || null;
  if (now === who) return; // a refreshed token: the open socket stays as it is
  stop();
  unreadCount = null;
  emit({ type: "unread", unread: null });
  if (listeners.size > 0) start();
});

function emit(event) {
  for (const listener of [...listeners]) listener(event);
}

function start() {
  who = signedIn()?.user?.id || null;
  opened = false;
  tries = 0;
  if (who) connect();
}

function stop() {
  who = null;
  clearTimeout(timer);
  clearInterval(pinger);
  clearInterval(poller);
  timer = pinger = poller = null;
  seen = null;
  if (socket) {
    socket.onclose = null;
    socket.close();
    socket = null;
  }
}

/** Whether an access token (a JWT) is spent or about to be: a socket cannot answer 401, so
 * the token is refreshed before the socket is opened. */
function expiring(token) {
  try {
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return claims.exp * 1000 < Date.now() + 30_000;
  } catch {
    return false;
  }
}

async function connect() {
  const mine = who;
  let user = signedIn();
  if (user && expiring(user.access_token)) {
    try {
      await refreshed(`Bearer ${user.access_token}`);
    } catch {
      // the server cannot be reached: the socket below fails too, and is tried again
    }
    user = signedIn();
  }
  if (!user || who !== mine || user.user?.id !== mine || socket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const params = new URLSearchParams({ token: user.access_token });
  const opening = new WebSocket(`${scheme}://${location.host}/v1/me/notifications/ws?${params}`);
  socket = opening;
  opening.onopen = () => {
    const again = opened;
    opened = true;
    tries = 0;
    clearInterval(poller);
    poller = null;
    clearInterval(pinger);
    pinger = setInterval(() => opening.readyState === WebSocket.OPEN && opening.send('{"type":"ping"}'), PING_MS);
    if (again) emit({ type: "resync" });
  };
  opening.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event.type === "hello") setUnread(event.unread);
    if (event.type === "notification") {
      emit(event);
      setUnread((unreadCount || 0) + 1);
    }
  };
  opening.onclose = () => {
    if (socket === opening) socket = null;
    clearInterval(pinger);
    pinger = null;
    if (who !== mine) return;
    if (!opened) {
      // never reached (a refused token, or no sockets on the way): over HTTP meanwhile (its
      // refresh of a spent token is the API module's), and the socket again with each poll
      if (!poller) {
        poll();
        poller = setInterval(() => poll().then(() => who === mine && !socket && !opened && connect()), POLL_MS);
      }
      return;
    }
    const wait = BACKOFF_MS[Math.min(tries++, BACKOFF_MS.length - 1)];
    timer = setTimeout(connect, wait);
  };
}

/** Without a socket: the unread count, and what is new since the last look, over HTTP. */
async function poll() {
  if (!who || document.visibilityState === "hidden") return;
  const mine = who;
  try {
    const page = await api("GET", "/v1/me/notifications?unread=true&limit=5");
    if (who !== mine) return;
    const fresh = seen === null ? [] : page.items.filter((item) => !seen.has(item.id));
    seen = new Set([...(seen || []), ...page.items.map((item) => item.id)]);
    for (const item of fresh.reverse()) emit({ type: "notification", ...item });
    setUnread(page.unread);
  } catch {
    // the next poll tries again
  }
}
