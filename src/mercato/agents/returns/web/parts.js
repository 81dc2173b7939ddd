// What the returns pages share: the reasons, resolutions, conditions and statuses in words, a
// return's status and flags as badges, a line's units that can still be returned, the label
// PDF (fetched with the caller's token, then shown), the queue's tabs and the stylesheet.
// Every shopper-written text (notes, names) is put in the page as text, never as markup.
import { html, useEffect, useState } from "preact-htm";
import { credentials } from "mercato/lib/credentials.js";
import { words } from "mercato/lib/format.js";

export const WINDOW_DAYS = 30; // BR009: the API is the judge; this only explains it

/** The reasons a shopper picks from (the API takes these codes). */
export const REASONS = {
  changed_mind: "I changed my mind",
  wrong_size: "Wrong size",
  defective: "Defective or does not work",
  damaged_in_transit: "Damaged in transit",
  not_as_described: "Not as described",
  arrived_late: "Arrived too late",
  other: "Another reason",
};
export const reasonLabel = (code) => REASONS[code] || words(code);

export const RESOLUTIONS = {
  refund: { label: "Refund", hint: "To the card you paid with, once we have checked the items." },
  store_credit: { label: "Store credit", hint: "Added to your account once we have checked the items, to spend on any order." },
  exchange: { label: "Exchange", hint: "The same product again, in another size or colour if you choose one." },
};
export const resolutionLabel = (code) => RESOLUTIONS[code]?.label || words(code);

export const CONDITIONS = {
  original: { label: "Original condition", hint: "Refunded in full." },
  opened: { label: "Opened, unused", hint: "Refunded less the restocking fee." },
  damaged: { label: "Damaged", hint: "Refunded in part." },
  missing: { label: "Missing", hint: "Not in the parcel: nothing refunded." },
};
export const DISPOSITIONS = { restock: "Back to stock", write_off: "Write off" };

const STATUS = {
  requested: ["warn", "Requested"],
  approved: ["info", "Approved"],
  received: ["info", "Received"],
  inspected: ["info", "Inspected"],
  refunding: ["info", "Refunding"],
  refunded: ["good", "Refunded"],
  rejected: ["bad", "Rejected"],
  cancelled: ["muted", "Cancelled"],
};
export const statusLabel = (status) => STATUS[status]?.[1] || words(status);

export function Status({ status }) {
  return html`<span class=${`badge ${STATUS[status]?.[0] || "muted"}`}>${statusLabel(status)}</span>`;
}

/** What the shopper is told a return in each status waits for. */
export const NEXT = {
  requested: "We are looking at your request; you will hear from us shortly.",
  approved: "Print the return label, pack the items and drop the parcel at the carrier.",
  received: "Your parcel arrived; we are checking the items.",
  inspected: "The items are checked; your refund is on its way.",
  refunding: "Your refund is being paid.",
  refunded: "Done: your refund is paid.",
  rejected: "This return was not accepted.",
  cancelled: "You cancelled this return.",
};

const FLAGS = {
  too_many_returns: "Many recent returns",
  high_value: "High value",
};
export const flagLabel = (flag) => FLAGS[flag] || words(flag);

export function Flags({ flags }) {
  if (!flags || flags.length === 0) return null;
  return html`<span class="r-flags">${flags.map((f) => html`<span class="badge bad r-flag" title=${f}>⚑ ${flagLabel(f)}</span>`)}</span>`;
}

/** Units of an order's line the shopper may still return: delivered, less returned, less
 * those in the order's other open returns. */
export const OPEN = ["requested", "approved", "received", "inspected", "refunding"];
export function returnable(line, returns) {
  const taken = (returns || [])
    .filter((r) => OPEN.includes(r.status))
    .flatMap((r) => r.lines)
    .filter((l) => l.line_id === line.id)
    .reduce((n, l) => n + l.quantity, 0);
  return Math.max(0, (line.delivered_quantity || 0) - (line.returned_quantity || 0) - taken);
}

/** Open one of the API's PDFs with the caller's credentials (a plain link carries none):
 * the tab opens at the click, then shows the file; a blocked tab gets a download instead. */
async function openPdf(path, name) {
  const tab = window.open("", "_blank");
  const response = await fetch(path, { headers: { accept: "application/pdf", ...credentials() } });
  if (!response.ok) {
    tab?.close();
    let detail = "";
    try {
      detail = (await response.json()).detail || "";
    } catch {
      detail = "";
    }
    throw new Error(`The label could not be opened (the server answered ${response.status}${detail ? `: ${detail}` : ""}).`);
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

export function LabelLink({ ret, children = "Print the return label (PDF)", ...rest }) {
  const [failed, setFailed] = useState(null);
  if (!ret.label_url) return null;
  const open = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    setFailed(null);
    openPdf(ret.label_url, `${ret.number}-label.pdf`).catch((error) => setFailed(error.message));
  };
  return html`<a href=${ret.label_url} class="r-label" onClick=${open} ...${rest}>${children}</a>${failed &&
    html` <span class="field-error" role="alert">${failed}</span>`}`;
}

/** A component whose module is fetched the first time it is shown. */
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
  if (document.getElementById("returns-css")) return;
  const link = document.createElement("link");
  link.id = "returns-css";
  link.rel = "stylesheet";
  link.href = new URL("./returns.css", import.meta.url).href;
  document.head.append(link);
}
