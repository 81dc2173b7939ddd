// The dashboard's KPIs as they change: `WS /v1/analytics/ws` pushes the `kpis` report (today
// and the last 30 days) when it opens and after each change of the store's sales. The access
// token goes in the socket's first message (`{"type": "auth"}`: not in the address, where
// logs would keep it), refreshed first when it is about to expire, and again when the server
// closes the socket with 4401. A dropped socket is opened again, later each time; while no
// socket carries the figures (it never opened, or keeps failing), they are polled over HTTP
// every 30 s. A socket refused with 4403 (not staff) is not tried again.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { refreshed, signedIn } from "mercato/lib/credentials.js";

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 20_000, 30_000];
const POLL_MS = 30_000;
const PING_MS = 25_000;
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;

/** Whether an access token (a JWT) is spent or about to be. */
function expiring(token) {
  try {
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return claims.exp * 1000 < Date.now() + 30_000;
  } catch {
    return false;
  }
}

/** Follow the store's KPIs: `onKpis(report)` with each push (or poll); `onStatus(status)`
 * with "connecting", "live", "reconnecting", "polling", "forbidden" or "off". Returns the
 * unfollow. */
export function followKpis({ onKpis, onStatus }) {
  let stopped = false;
  let socket = null;
  let failures = 0;
  let wasLive = false;
  let retry = null;
  let pinger = null;
  let poller = null;
  let status = null;
  const say = (next) => {
    if (next !== status && !stopped) onStatus((status = next));
  };

  const poll = async () => {
    if (stopped || document.visibilityState === "hidden") return;
    try {
      const kpis = await api("GET", "/v1/analytics/kpis");
      if (!stopped && poller) onKpis(kpis);
    } catch (problem) {
      if (problem.status === 403) stopPolling();
    }
  };
  const startPolling = () => {
    if (poller) return;
    poller = setInterval(poll, POLL_MS);
    poll();
    say("polling");
  };
  const stopPolling = () => {
    clearInterval(poller);
    poller = null;
  };

  const connect = async () => {
    retry = null;
    if (stopped || socket) return;
    let user = signedIn();
    if (user && expiring(user.access_token)) {
      try {
        await refreshed(`Bearer ${user.access_token}`);
      } catch {
        // the server cannot be reached: the socket fails too, and is tried again
      }
      user = signedIn();
    }
    if (stopped || socket) return;
    if (!user) {
      say("off");
      return;
    }
    if (!poller) say(wasLive ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const opening = new WebSocket(`${scheme}://${location.host}/v1/analytics/ws`);
    const token = user.access_token;
    let heard = false;
    socket = opening;
    opening.onopen = () => opening.send(JSON.stringify({ type: "auth", token }));
    opening.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event.type !== "kpis") return;
      if (!heard) {
        heard = wasLive = true;
        failures = 0;
        stopPolling();
        clearInterval(pinger);
        pinger = setInterval(() => opening.readyState === WebSocket.OPEN && opening.send('{"type":"ping"}'), PING_MS);
        say("live");
      }
      onKpis(event);
    };
    opening.onclose = async (event) => {
      if (socket === opening) socket = null;
      clearInterval(pinger);
      pinger = null;
      if (stopped) return;
      if (event.code === FORBIDDEN) {
        stopPolling();
        say("forbidden");
        return undefined;
      }
      if (event.code === UNAUTHORIZED && !(await refreshed(`Bearer ${token}`).catch(() => false))) {
        stopPolling();
        say("off"); // signed out: the page says so
        return undefined;
      }
      if (stopped) return undefined;
      failures += 1;
      if (event.code === UNAUTHORIZED && failures === 1) {
        retry = setTimeout(connect, 0); // with the fresh token, at once
        return undefined;
      }
      // never heard from, or failing again and again: the figures over HTTP meanwhile
      if (!wasLive || failures >= 3) startPolling();
      else say("reconnecting");
      retry = setTimeout(connect, BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]);
      return undefined;
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(pinger);
    stopPolling();
    if (socket) {
      socket.onclose = null;
      socket.close();
      socket = null;
    }
  };
}

/** The feed's status while `enabled`; `onKpis` hears each push. */
export function useKpiFeed(enabled, onKpis) {
  const [status, setStatus] = useState(null);
  const latest = useRef(onKpis);
  latest.current = onKpis;
  useEffect(() => {
    if (!enabled) return undefined;
    return followKpis({ onKpis: (kpis) => latest.current(kpis), onStatus: setStatus });
  }, [enabled]);
  return enabled ? status : null;
}

const WORDS = {
  connecting: ["Connecting…", "wait"],
  live: ["Live", "live"],
  reconnecting: ["Reconnecting…", "wait"],
  polling: ["Updated every 30 s", "poll"],
};

/** A small badge: whether the figures follow the store as it sells. */
export function LiveBadge({ status }) {
  const [text, tone] = WORDS[status] || [];
  return html`<span class=${`a-live ${tone || "off"}`} role="status" aria-live="polite">
    ${text && html`<span class="a-live-dot" aria-hidden="true"></span>${text}`}
  </span>`;
}
