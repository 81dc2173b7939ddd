// The chat panel: the conversation (the shopper's words, the assistant's with their cards,
// staff's answers to a hand-off as "Support team"), the typing indicator, quick replies and
// the message box. The reply streams into its bubble as it arrives; the cards and quick
// replies come with its end. A turn that changed the cart or placed an order refreshes the
// header's count through the cart's services.
import { html, useEffect, useReducer, useRef, useState } from "preact-htm";
import { onCredentials, signedIn } from "mercato/lib/credentials.js";
import { Link } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Cards } from "./cards.js";
import { Line } from "./line.js";

const STARTERS = ["Show me hoodies", "Where is my order?", "What's your returns policy?"];
const WHO = { shopper: "You", assistant: "Assistant", staff: "Support team", error: "Problem" };
const INITIAL = { items: [], typing: false, busy: false, mode: "idle" };
let keys = 0;

function fromHistory(m) {
  const payload = m.payload || {};
  return { key: `s${m.seq}`, seq: m.seq, role: m.role, text: m.text, cards: payload.cards || [], quick_replies: payload.quick_replies || [] };
}

function withoutStream(items) {
  return items.at(-1)?.streaming ? items.slice(0, -1) : items;
}

function reduce(state, e) {
  switch (e.type) {
    case "reset":
      return INITIAL;
    case "said":
      return { ...state, busy: true, items: [...state.items, { key: `me${++keys}`, role: "shopper", text: e.text }] };
    case "typing":
      return { ...state, typing: true };
    case "chunk": {
      const last = state.items.at(-1);
      const item = last?.streaming
        ? { ...last, text: last.text + e.text }
        : { key: `a${++keys}`, role: "assistant", text: e.text, streaming: true };
      return { ...state, typing: false, items: [...withoutStream(state.items), item] };
    }
    case "done": {
      const said = { key: `s${e.seq}`, seq: e.seq, role: "assistant", text: e.reply, cards: e.cards, quick_replies: e.quick_replies };
      return { ...state, typing: false, busy: false, items: [...withoutStream(state.items), said] };
    }
    case "history":
      return { ...state, typing: false, items: e.messages.map(fromHistory) };
    case "message":
      if (e.role !== "staff" || state.items.some((item) => item.seq === e.seq)) return state;
      return { ...state, items: [...state.items, { key: `s${e.seq}`, seq: e.seq, role: "staff", text: e.text }] };
    case "error": {
      const text = e.detail || "Something went wrong. Please try again.";
      return { ...state, typing: false, busy: false, items: [...withoutStream(state.items), { key: `e${++keys}`, role: "error", text }] };
    }
    case "line": {
      const dropped = e.mode === "reconnecting";
      return { ...state, mode: e.mode, typing: dropped ? false : state.typing, busy: dropped ? false : state.busy };
    }
    default:
      return state;
  }
}

/** The header's cart count follows what the turn did (the cart's own pages, if any). */
async function follow(actions = []) {
  try {
    if (actions.some((a) => a.type === "order.placed")) {
      service("cart.forget")?.();
    } else if (actions.some((a) => String(a.type).startsWith("cart."))) {
      const cart = await service("cart.refresh")?.();
      // a cart the assistant opened is not yet known here: the shopper's active cart is it
      if (!cart) await service("cart.current")?.({ create: true });
    }
  } catch {
    // the count catches up on the next page
  }
}

function Bubble({ item, live, onSay }) {
  const cards = item.cards?.length > 0;
  return html`<li class=${`chat-msg ${item.role}${cards ? " with-cards" : ""}`}>
    <span class=${item.role === "staff" ? "chat-who" : "visually-hidden"}>${WHO[item.role] || item.role}: </span>
    ${String(item.text || "").split("\n").map((line) => html`<p>${line}</p>`)}
    ${cards && html`<${Cards} cards=${item.cards} live=${live} onSay=${onSay} />`}
  </li>`;
}

export function Chat({ open, onClose, onActivity }) {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const [text, setText] = useState("");
  const line = useRef(null);
  const log = useRef(null);
  const input = useRef(null);
  const activity = useRef(onActivity);
  activity.current = onActivity;

  useEffect(() => {
    let who = signedIn()?.user?.id || null;
    const start = () => {
      line.current?.close();
      dispatch({ type: "reset" });
      const opened = new Line((event) => {
        dispatch(event);
        if (event.type === "done") follow(event.actions);
        activity.current?.(event);
      });
      line.current = opened;
      opened.start();
    };
    start();
    const stop = onCredentials(() => { // signed in or out: that shopper's conversation
      const now = signedIn()?.user?.id || null;
      if (now !== who) {
        who = now;
        start();
      }
    });
    return () => {
      stop();
      line.current?.close();
    };
  }, []);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.items, state.typing]);

  const say = async (words, payment) => {
    if (!words.trim() || state.busy) return;
    dispatch({ type: "said", text: words.trim() });
    input.current?.focus(); // the quick reply or card button pressed goes with the answer
    try {
      await line.current.send(words.trim(), payment);
    } catch (problem) {
      dispatch({ type: "error", detail: problem.detail || problem.message });
    }
  };
  const submit = (event) => {
    event.preventDefault();
    const words = text;
    setText("");
    say(words);
  };
  const restart = () => {
    line.current.restart();
    dispatch({ type: "reset" });
    input.current?.focus();
  };
  const onKeyDown = (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose();
    }
  };

  const { items, typing, busy } = state;
  const last = items.at(-1);
  const streaming = last?.streaming === true;
  const answering = last && last.role === "assistant" && !streaming;
  const asking = answering && (last.cards || []).some((c) => c.type === "confirmation");
  const quick = items.length === 0 ? STARTERS : answering && !asking ? last.quick_replies || [] : [];
  return html`<section id="chat-panel" class="chat-panel" role="dialog" aria-labelledby="chat-title" hidden=${!open} onKeyDown=${onKeyDown}>
    <header class="chat-head">
      <h2 id="chat-title">Ask us</h2>
      <${Link} to="/account/memory" class="chat-tool">What we remember</${Link}>
      <button type="button" class="link-button chat-tool" onClick=${restart}>New chat</button>
      <button type="button" class="chat-close" aria-label="Close chat" onClick=${onClose}>×</button>
    </header>
    <div class="chat-log" ref=${log} role="log" aria-live="polite" aria-busy=${streaming ? "true" : "false"} aria-label="Conversation" tabindex="0">
      <ol class="chat-thread">
      ${items.length === 0 && html`<li class="chat-msg assistant"><p>Hi! I can find products, fill your cart, check out,
        track your orders and answer questions about the shop. What are you looking for?</p></li>`}
      ${items.map((item) => html`<${Bubble} key=${item.key} item=${item} live=${item === last && !busy} onSay=${say} />`)}
    </ol></div>
    <div class="chat-status" role="status">
      ${typing && html`<span class="chat-dots" aria-hidden="true"><i></i><i></i><i></i></span> The assistant is typing…`}
      ${state.mode === "reconnecting" && !typing && "Reconnecting…"}
    </div>
    ${quick.length > 0 && html`<div class="chat-quick" role="group" aria-label="Suggested replies">
      ${quick.map((reply) => html`<button type="button" disabled=${busy} onClick=${() => say(reply)}>${reply}</button>`)}
    </div>`}
    <form class="chat-compose" onSubmit=${submit}>
      <label class="visually-hidden" for="chat-text">Your message</label>
      <input id="chat-text" ref=${input} value=${text} autocomplete="off" maxlength="2000" placeholder="Ask about a product or an order"
        onInput=${(e) => setText(e.currentTarget.value)} />
      <button class="button primary" type="submit" disabled=${busy || !text.trim()}>Send</button>
    </form>
  </section>`;
}
