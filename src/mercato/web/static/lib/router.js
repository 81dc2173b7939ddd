// Paths in the browser's address bar, matched against the pages the agents registered:
// `/shop/products/:id` gives the page `{ id }`. Links change the path without a reload.
import { html, useEffect, useState } from "preact-htm";

const listeners = new Set();
let moved = false;

/** Whether the address changed since the last page took the focus (each page's heading takes
 * it once, when it is shown after a navigation, so a screen reader starts there). */
export function takeFocus() {
  const was = moved;
  moved = false;
  return was;
}

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? "replaceState" : "pushState"](null, "", to);
  moved = true;
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

addEventListener("popstate", () => {
  moved = true;
  for (const listener of listeners) listener();
});

/** The current path and query, re-rendering the caller when they change. */
export function useLocation() {
  const [where, setWhere] = useState(current());
  useEffect(() => {
    const update = () => setWhere(current());
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return where;
}

function current() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** The page whose pattern matches `path`, with its parameters; or null. */
export function match(pages, path) {
  const parts = split(path);
  for (const page of pages) {
    const pattern = split(page.path);
    if (pattern.length !== parts.length) continue;
    const params = {};
    const ok = pattern.every((segment, i) => {
      if (segment.startsWith(":")) {
        try {
          params[segment.slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          return false; // a malformed escape: no page has that address
        }
        return true;
      }
      return segment === parts[i];
    });
    if (ok) return { page, params };
  }
  return null;
}

const split = (path) => path.split("/").filter(Boolean);

/** An `<a>` that navigates inside the console (a modified click still opens a new tab). */
export function Link({ to, children, ...rest }) {
  const go = (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return html`<a href=${to} onClick=${go} ...${rest}>${children}</a>`;
}
