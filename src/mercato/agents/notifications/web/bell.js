// The header's bell: a signed-in user's unread count, kept live, linking to the inbox; and a
// small toast (top right, a few seconds) for each notification as it arrives, on any page.
// The toasts are a polite live region, not a `status`: a page's own status messages stay
// the only ones of their role.
import { html, useEffect, useRef, useState } from "preact-htm";
import { onCredentials, signedIn } from "mercato/lib/credentials.js";
import { Link } from "mercato/lib/router.js";
import { follow, markRead, unread } from "./live.js";
import { linkOf } from "./parts.js";

const SHOWN_MS = 6000;
const MOST = 3;

export function Bell() {
  const [who, setWho] = useState(() => signedIn()?.user?.id || null);
  useEffect(() => onCredentials(() => setWho(signedIn()?.user?.id || null)), []);
  return who ? html`<${BellLink} key=${who} />` : null;
}

function BellLink() {
  const [count, setCount] = useState(unread());
  const [toasts, setToasts] = useState([]);
  const timers = useRef(new Set());
  useEffect(() => {
    const stop = follow((event) => {
      if (event.type === "unread") setCount(event.unread);
      if (event.type === "notification") {
        setToasts((shown) => [...shown.filter((t) => t.id !== event.id), event].slice(-MOST));
        const timer = setTimeout(() => {
          timers.current.delete(timer);
          setToasts((shown) => shown.filter((t) => t.id !== event.id));
        }, SHOWN_MS);
        timers.current.add(timer);
      }
    });
    return () => {
      stop();
      for (const timer of timers.current) clearTimeout(timer);
    };
  }, []);
  const dismiss = (id) => setToasts((shown) => shown.filter((t) => t.id !== id));
  const open = (id) => {
    dismiss(id);
    markRead(id).catch(() => {}); // opened is read; if that fails, the inbox still shows it unread
  };
  const n = count || 0;
  return html`<${Link} to="/account/notifications" class="bell"
      aria-label=${`Notifications, ${n} unread`}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" /></svg>
      ${n > 0 && html`<span class="count" aria-hidden="true">${n > 99 ? "99+" : n}</span>`}
    </${Link}>
    <div class="toasts" aria-live="polite" aria-relevant="additions">
      ${toasts.map((t) => html`<div class="toast" key=${t.id}>
        <p class="toast-title">${t.title}</p>
        ${t.body && html`<p class="toast-body">${t.body}</p>`}
        <p class="toast-actions">
          <span onClick=${() => (linkOf(t) ? open(t.id) : dismiss(t.id))}>${linkOf(t)
            ? html`<${Link} to=${linkOf(t)}>Open</${Link}>`
            : html`<${Link} to="/account/notifications">See it</${Link}>`}</span>
          <button type="button" class="link-button" onClick=${() => dismiss(t.id)}>Dismiss</button>
        </p>
      </div>`)}
    </div>`;
}
