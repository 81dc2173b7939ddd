// The chat's line to the assistant: a WebSocket (typing, the reply in chunks, staff's answers
// as they are written) or, where no socket can be opened, the same turns over HTTP with a poll
// for staff's answers. A dropped socket is opened again, later each time (backoff), resuming
// the conversation: its history comes first. Whatever arrives is handed to `onEvent` in the
// socket's shapes (`typing`, `chunk`, `done`, `history`, `message`, `error`), plus
// `{type: "line", mode}` when the line changes ("socket", "http", "reconnecting").
import { api } from "mercato/lib/api.js";
import { credentials, guest, refreshed, rememberGuest, signedIn } from "mercato/lib/credentials.js";

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const POLL_MS = 15000;
const KEY = "mercato.assistant";

function owner() {
  return signedIn()?.user?.id || guest()?.session_token || null;
}

/** The conversation this shopper had open in this store (the store is the site's origin). */
export function rememberedConversation() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    return saved && saved.owner === owner() ? saved.id : null;
  } catch {
    return null;
  }
}

export function rememberConversation(id) {
  if (id) localStorage.setItem(KEY, JSON.stringify({ owner: owner(), id }));
  else localStorage.removeItem(KEY);
}

const hasCredentials = () => Object.keys(credentials()).length > 0;

/** Whether a signed-in user's access token (a JWT) is spent or about to be. A socket cannot
 * say 401 to the browser (a refused handshake is only a failed connection), so the token is
 * refreshed before the socket is opened, not after. */
function expiring(token) {
  try {
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return claims.exp * 1000 < Date.now() + 30_000;
  } catch {
    return false;
  }
}

export class Line {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.socket = null;
    this.mode = "idle";
    this.conversationId = null;
    this.lastSeq = -1;
    this.everOpened = false;
    this.tries = 0;
    this.closed = false;
    this.timer = null;
    this.poller = null;
  }

  /** Open the line on the shopper's conversation (the one remembered here, else their latest). */
  async start() {
    this.conversationId = rememberedConversation();
    if (!hasCredentials()) return; // a guest's session is made with their first message
    if (!this.conversationId) {
      try {
        const latest = await api("GET", "/v1/assistant/conversations/latest");
        if (this.closed) return;
        this.seen(latest.conversation_id, latest.items);
        if (latest.conversation_id) this.emit({ type: "history", ...this.history(latest) });
      } catch {
        // nothing to resume: a new conversation starts with the first message
      }
    }
    this.connect();
  }

  async connect() {
    const user = signedIn();
    if (user && expiring(user.access_token)) await refreshed(`Bearer ${user.access_token}`);
    if (this.closed || !hasCredentials() || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    const headers = credentials();
    const params = new URLSearchParams();
    if (headers.authorization) params.set("token", headers.authorization.replace(/^Bearer /, ""));
    else params.set("session_token", headers["x-session-token"]);
    if (this.conversationId) params.set("conversation_id", this.conversationId);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/v1/assistant/ws?${params}`);
    this.socket = socket;
    socket.onopen = () => {
      this.everOpened = true;
      this.tries = 0;
      this.stopPolling();
      this.setMode("socket");
    };
    socket.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event.type === "history" || event.type === "done") this.seen(event.conversation_id, event.messages || [event]);
      if (event.type === "message") this.seen(this.conversationId, [event]);
      if (event.type === "error" && event.code === "conversation_not_found") {
        this.forget(); // gone (or another shopper's): the next message starts anew
        return;
      }
      this.emit(event);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      if (this.closed) return;
      if (!this.everOpened) {
        this.fallBack(); // never reached: the turns go over HTTP from now on
      } else {
        this.setMode("reconnecting");
        const wait = BACKOFF_MS[Math.min(this.tries++, BACKOFF_MS.length - 1)];
        this.timer = setTimeout(() => this.connect(), wait);
      }
    };
  }

  /** Say something: over the socket when it is open, else over HTTP. */
  async send(text, payment) {
    if (!hasCredentials()) {
      rememberGuest(await api("POST", "/v1/sessions", { body: {} }));
      this.forget(); // a conversation kept from a session that has since expired is not this one's
    }
    const message = { type: "message", text, ...(payment ? { payment } : {}) };
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ ...message, conversation_id: this.conversationId || undefined }));
      return;
    }
    this.emit({ type: "typing" });
    try {
      const body = { text, conversation_id: this.conversationId || undefined, payment };
      const reply = await api("POST", "/v1/assistant/messages", { body });
      this.seen(reply.conversation_id, [reply]);
      this.emit({ type: "done", ...reply });
    } catch (problem) {
      if (problem.code === "conversation_not_found" && this.conversationId) {
        this.forget();
        return this.send(text, payment); // in a new conversation
      }
      this.emit({ type: "error", code: problem.code, detail: problem.detail || problem.title });
    }
    if (this.mode === "idle" && !this.closed) this.connect(); // the first message made the session
  }

  /** Start a new conversation: the next message opens it. */
  restart() {
    this.forget();
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
      this.socket = null;
      this.connect();
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.stopPolling();
    this.socket?.close();
  }

  // --- inside the line

  forget() {
    this.conversationId = null;
    this.lastSeq = -1;
    rememberConversation(null);
  }

  emit(event) {
    if (!this.closed) this.onEvent(event);
  }

  setMode(mode) {
    this.mode = mode;
    this.emit({ type: "line", mode });
  }

  seen(conversationId, messages) {
    if (conversationId && conversationId !== this.conversationId) {
      this.conversationId = conversationId;
      rememberConversation(conversationId);
    }
    for (const m of messages) if (typeof m.seq === "number") this.lastSeq = Math.max(this.lastSeq, m.seq);
  }

  history(found) {
    return {
      conversation_id: found.conversation_id,
      messages: found.items.map(({ seq, role, text, payload }) => ({ seq, role, text, payload })),
    };
  }

  async fallBack() {
    this.setMode("http");
    if (this.conversationId) {
      try {
        const found = await api("GET", `/v1/assistant/conversations/${encodeURIComponent(this.conversationId)}`);
        this.seen(found.conversation_id, found.items);
        this.emit({ type: "history", ...this.history(found) });
      } catch (problem) {
        if (problem.status === 404) this.forget();
      }
    }
    this.stopPolling();
    this.poller = setInterval(() => this.poll(), POLL_MS);
  }

  /** Over HTTP, staff's answers are fetched now and then (what came after the last seen). */
  async poll() {
    if (!this.conversationId || document.visibilityState === "hidden") return;
    try {
      const path = `/v1/assistant/conversations/${encodeURIComponent(this.conversationId)}?after=${this.lastSeq}`;
      const found = await api("GET", path);
      for (const m of found.items) {
        if (m.seq <= this.lastSeq) continue;
        this.seen(this.conversationId, [m]);
        if (m.role === "staff") this.emit({ type: "message", role: "staff", seq: m.seq, text: m.text });
      }
    } catch {
      // the next poll tries again
    }
  }

  stopPolling() {
    clearInterval(this.poller);
    this.poller = null;
  }
}
