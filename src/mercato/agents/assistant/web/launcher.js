// The "Ask us" button at the bottom right of every storefront page, and the chat panel it
// opens. The panel's modules are fetched the first time it is opened (the storefront's first
// load carries only this button); once open, the chat stays connected while the shopper moves
// around the shop, and a reply or staff's answer that arrives while it is closed is counted
// on the button. Whether it was open is kept for the tab, so a reload opens it again.
import { html, useEffect, useRef, useState } from "preact-htm";
import { useLocation } from "mercato/lib/router.js";

const OPEN = "mercato.assistant.open";

function inShop(path) {
  const first = path.split("/").filter(Boolean)[0];
  return !["admin", "explorer", "account"].includes(first);
}

function wasOpen() {
  try {
    return sessionStorage.getItem(OPEN) === "1";
  } catch {
    return false;
  }
}

export function Assistant() {
  const { path } = useLocation();
  const [open, setOpen] = useState(wasOpen);
  const [Chat, setChat] = useState(null);
  const [unread, setUnread] = useState(0);
  const button = useRef(null);
  const isOpen = useRef(open);
  isOpen.current = open;

  useEffect(() => {
    try {
      sessionStorage.setItem(OPEN, open ? "1" : "0");
    } catch {
      // private mode: the panel simply starts closed
    }
    if (open && !Chat) import("./chat.js").then((m) => setChat(() => m.Chat), (e) => console.error(e));
  }, [open]);

  if (!inShop(path)) return null;
  const toggle = () => {
    setOpen(!open);
    setUnread(0);
  };
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const noticed = (event) => {
    if (!isOpen.current && (event.type === "done" || (event.type === "message" && event.role === "staff"))) {
      setUnread((n) => n + 1);
    }
  };
  return html`<aside class="chat" aria-label="Shopping assistant">
    ${Chat && html`<${Chat} open=${open} onClose=${close} onActivity=${noticed} />`}
    <button type="button" ref=${button} class="chat-launcher" aria-expanded=${open ? "true" : "false"}
      aria-controls=${Chat ? "chat-panel" : undefined} onClick=${toggle}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor"
        d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>
      Ask us${unread > 0 && html` <span class="count">${unread}<span class="visually-hidden"> new</span></span>`}
    </button>
  </aside>`;
}
