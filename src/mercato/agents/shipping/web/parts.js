// What the shipping pages share: a shipment's status as a badge, its tracking timeline, the
// delivery estimate in words, the PDFs (label, packing slip, manifest: fetched with the
// signed-in user's token, then shown), the staff pages' tabs, and the stylesheet.
import { html, useEffect, useState } from "preact-htm";
import { credentials } from "mercato/lib/credentials.js";
import { when, words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";

export const STATUSES = [
  "label_created", "shipped", "in_transit", "out_for_delivery", "failed_attempt",
  "delivered", "returned_to_sender", "exception", "cancelled",
];
/** Shipped, not yet delivered or back: a delivery (or a failed attempt) may still come. */
export const ON_THE_WAY = ["shipped", "in_transit", "out_for_delivery", "failed_attempt", "exception"];
const TONES = {
  label_created: "warn", shipped: "info", in_transit: "info", out_for_delivery: "info",
  failed_attempt: "warn", delivered: "good", returned_to_sender: "bad", exception: "bad", cancelled: "muted",
  unfulfilled: "warn", partially_shipped: "info", partially_delivered: "info", fulfilled: "good",
  returned: "muted", partially_returned: "muted",
};
const LABELS = { label_created: "Label created", failed_attempt: "Delivery attempt failed" };
export const statusLabel = (status) => LABELS[status] || words(status);

export function Status({ status }) {
  return html`<span class=${`badge s-status ${TONES[status] || "muted"}`}>${statusLabel(status)}</span>`;
}

/** A day the API sends as `2026-12-09`, read as that calendar day wherever the reader is. */
function calendarDay(text) {
  const [y, m, d] = String(text).split("-").map(Number);
  return new Date(y, m - 1, d);
}

const DAY = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric" });

/** "Tue, Dec 9 – Mon, Dec 14" (one day when both ends are the same). */
export function arrives([first, last]) {
  if (!first) return "";
  const a = DAY.format(calendarDay(first));
  const b = DAY.format(calendarDay(last || first));
  return a === b ? a : `${a} – ${b}`;
}

/** A shipment's way so far, oldest first: its own moments (label, hand-over, delivery) with
 * the carrier's (or staff's) tracking events between them; a moment the events already
 * tell is not told twice. */
export function journey(shipment) {
  const events = (shipment.tracking || []).map((e) => ({ ...e, at: e.occurred_at }));
  const told = new Set(events.map((e) => e.status));
  const own = [
    ["label_created", shipment.created_at, `Label bought from ${shipment.carrier_name}`],
    ["shipped", shipment.shipped_at, shipment.tracking_number ? `Tracking number ${shipment.tracking_number}` : "Handed to the carrier"],
    ["delivered", shipment.delivered_at, "Delivered"],
  ]
    .filter(([status, at]) => at && !told.has(status))
    .map(([status, at, description]) => ({ status, at, description, location: null, source: "mercato" }));
  return [...own, ...events].sort((a, b) => new Date(a.at) - new Date(b.at));
}

export function Tracking({ shipment }) {
  const steps = journey(shipment);
  if (steps.length === 0) return html`<p class="muted">No tracking events yet.</p>`;
  return html`<ol class="timeline s-track" aria-label=${`Tracking of ${shipment.number}`}>${steps.map((s) => html`<li class=${`s-step ${s.status}`}>
    <b>${statusLabel(s.status)}</b> <time class="muted" datetime=${s.at}>${when(s.at)}</time>
    ${s.description && s.description !== statusLabel(s.status) && html`<div>${s.description}</div>`}
    ${s.location && html`<div class="muted">${s.location}</div>`}
  </li>`)}</ol>`;
}

/** One line of an address (the shopper's words, shown as text). */
export function addressLine(a) {
  if (!a) return "";
  return [a.name, a.company, a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(" "), a.region, a.country]
    .filter(Boolean)
    .join(", ");
}

/** Open a PDF of the API (it needs the user's token, so a plain link would be refused): the
 * tab is opened at the click, then shown the file; a browser that blocks it gets a download. */
export async function openPdf(path, name) {
  const tab = window.open("", "_blank");
  const response = await fetch(path, { headers: { accept: "application/pdf", ...credentials() } });
  if (!response.ok) {
    tab?.close();
    throw new Error(`The server answered ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  if (tab) {
    tab.location.href = url;
  } else {
    const link = Object.assign(document.createElement("a"), { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A link to one of the API's PDFs, opened with the user's credentials. */
export function PdfLink({ href, name, children, ...rest }) {
  const [failed, setFailed] = useState(null);
  const open = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    setFailed(null);
    openPdf(href, name).catch((error) => setFailed(error.message));
  };
  return html`<a href=${href} class="s-pdf" onClick=${open} ...${rest}>${children}</a>${failed &&
    html` <span class="field-error" role="alert">${failed}</span>`}`;
}

const TABS = [
  { to: "/admin/shipments", label: "Shipments" },
  { to: "/admin/shipping/manifests", label: "Manifests" },
  { to: "/admin/shipping/settings", label: "Settings" },
];

/** The staff pages of shipping, one link each (the current one marked). */
export function Tabs({ current }) {
  return html`<nav class="s-tabs" aria-label="Shipping pages">
    ${TABS.map((t) => html`<${Link} to=${t.to} aria-current=${t.to === current ? "page" : undefined}>${t.label}</${Link}>`)}
  </nav>`;
}

/** A component whose module is fetched the first time it is shown (staff parts). */
export function lazy(load) {
  return function Later(props) {
    const [View, setView] = useState(null);
    useEffect(() => {
      let live = true;
      load().then((found) => live && setView(() => found));
      return () => {
        live = false;
      };
    }, []);
    return View ? html`<${View} ...${props} />` : null;
  };
}

/** The pages' own rules (the shell's stylesheet has the rest): added once, by pages.js. */
export function stylesheet() {
  if (document.getElementById("shipping-css")) return;
  const link = document.createElement("link");
  link.id = "shipping-css";
  link.rel = "stylesheet";
  link.href = new URL("./shipping.css", import.meta.url).href;
  document.head.append(link);
}
