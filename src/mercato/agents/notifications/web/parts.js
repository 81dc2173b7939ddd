// What the notifications pages share: the kinds and channels in words, a message's status as
// a badge, where a notification leads in the console, the sub-pages' tabs for staff, an
// email's HTML shown in a sandboxed frame, and the stylesheet of these pages.
import { html, useEffect, useRef, useState } from "preact-htm";
import { roles } from "mercato/lib/credentials.js";
import { words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";

/** The kinds the API knows today, in a shopper's words (a new kind reads as its code). */
export const KINDS = {
  order_confirmed: "Order confirmed",
  order_cancelled: "Order cancelled",
  order_shipped: "Order shipped",
  order_delivered: "Order delivered",
  shipment_shipped: "Parcels of an order shipped in parts",
  delivery_failed: "Missed deliveries",
  return_approved: "Return approved (your label)",
  return_rejected: "Return not accepted",
  refund_issued: "Refunds of returns",
  payment_failed: "Payment failed",
  payment_refunded: "Refunds",
  email_verification: "Email address checks",
  password_reset: "Password resets",
  cart_abandoned: "Reminders of your cart",
  low_stock: "Low stock (staff)",
  support_reply: "Answers from support",
};
export const kindLabel = (kind) => KINDS[kind] || words(kind);

export const CHANNELS = ["email", "sms", "push", "in_app"];
const CHANNEL_LABELS = { email: "Email", sms: "SMS", push: "Push", in_app: "In the app" };
export const channelLabel = (channel) => CHANNEL_LABELS[channel] || words(channel);

export const STATUSES = ["queued", "sending", "sent", "delivered", "bounced", "failed", "complained"];
const TONES = { queued: "warn", sending: "info", sent: "info", delivered: "good", bounced: "bad", failed: "bad", complained: "bad" };
export const tone = (status) => TONES[status] || "muted";
/** What staff may send again (the API's `retry`). */
export const RETRYABLE = ["failed", "bounced"];

export function Status({ status }) {
  return html`<span class=${`badge ${tone(status)}`}>${words(status)}</span>`;
}

/** Where a notification leads: its order, its ticket, the cart, the stock. */
export function linkOf(item) {
  const data = item.data || {};
  if (data.order_id) return `/account/orders/${encodeURIComponent(data.order_id)}`;
  if (data.ticket_id) return `/account/tickets/${encodeURIComponent(data.ticket_id)}`;
  if (data.cart_id) return "/shop/cart";
  if (data.variant_id) return "/admin/inventory";
  return null;
}

const TABS = [
  { to: "/admin/notifications", label: "Delivery log" },
  { to: "/admin/notifications/outbox", label: "SMS and push outbox" },
  { to: "/admin/notifications/templates", label: "Templates", roles: ["admin"] },
];

/** The staff pages of notifications, one link each (the current one marked). */
export function Tabs({ current }) {
  const mine = roles();
  return html`<nav class="ntabs" aria-label="Notification pages">
    ${TABS.filter((t) => !t.roles || t.roles.some((r) => mine.includes(r))).map(
      (t) => html`<${Link} to=${t.to} aria-current=${t.to === current ? "page" : undefined}>${t.label}</${Link}>`,
    )}
  </nav>`;
}

const MAIL_WIDTH = 640; // an email is laid out for about 600 px: a narrower frame shows it scaled down

/** An email's HTML as the recipient sees it, in a frame that runs nothing and reaches
 * nothing of the console (no scripts, no same origin, no forms, no pop-ups); scaled down to
 * fit a narrow column rather than scrolled sideways. */
export function MailFrame({ html: body, title, height = 560 }) {
  const box = useRef(null);
  const [width, setWidth] = useState(MAIL_WIDTH);
  useEffect(() => {
    if (!box.current || typeof ResizeObserver === "undefined") return undefined;
    const watch = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width) || MAIL_WIDTH));
    watch.observe(box.current);
    return () => watch.disconnect();
  }, []);
  const frame = Math.max(MAIL_WIDTH, width);
  const scale = width / frame;
  return html`<div class="mail-box" ref=${box} style=${`height:${Math.round(height * scale)}px`}>
    <iframe class="mail-frame" sandbox="" referrerpolicy="no-referrer" title=${title} srcdoc=${body}
      style=${`width:${frame}px;height:${height}px;transform:scale(${scale})`}></iframe>
  </div>`;
}

/** The pages' own rules (the shell's stylesheet has the rest): added once, by pages.js. */
export function stylesheet() {
  if (document.getElementById("notifications-css")) return;
  const link = document.createElement("link");
  link.id = "notifications-css";
  link.rel = "stylesheet";
  link.href = new URL("./notifications.css", import.meta.url).href;
  document.head.append(link);
}
