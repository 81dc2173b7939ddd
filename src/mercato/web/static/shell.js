// The console's shell: it loads the page modules of the agents that have pages (named by the
// server in #console-modules), and lays out whichever page matches the address.
//
// A page module (`agents/<agent>/web/pages.js`) exports by default:
//   pages:  [{ path: "/shop/products/:id", title, view, area }]  (view gets the path's params;
//           or `load: () => import("./x.js").then((m) => m.X)` for a page only staff open:
//           its module is fetched when the page is first shown, not with the storefront)
//   nav:    [{ area, label, to, order, roles? }]   links in an area's menu (roles: who sees it)
//   header: [Component]                            small parts of the header (the cart's count)
// Areas: "shop" (the storefront, at / and /shop/…), "account", "admin", "explorer".
import { html, render, useEffect, useErrorBoundary, useState } from "preact-htm";
import { Link, match, useLocation } from "mercato/lib/router.js";
import { onCredentials, roles, signedIn } from "mercato/lib/credentials.js";
import { Empty, Loading, Page } from "mercato/lib/ui.js";

const AREAS = [
  { name: "shop", label: "Shop", to: "/" },
  { name: "admin", label: "Admin", to: "/admin", staff: true },
  { name: "explorer", label: "Domain explorer", to: "/explorer" },
];
const STAFF = ["admin", "support", "merchant"];

const named = JSON.parse(document.getElementById("console-modules").textContent);
const modules = await Promise.all(
  Object.entries(named).map(async ([agent, url]) => {
    try {
      return { agent, ...(await import(url)).default };
    } catch (error) {
      console.error(`the pages of ${agent} did not load`, error);
      return { agent, pages: [], nav: [], header: [] };
    }
  }),
);
const events = () => import("mercato/pages/events.js");
modules.push({
  agent: "kernel", // the kernel's own pages: the audit log and the dead letters
  pages: [
    { path: "/admin/events", title: "Audit log", load: () => events().then((m) => m.AuditLog), area: "admin" },
    { path: "/admin/dead-letters", title: "Dead letters", load: () => events().then((m) => m.DeadLetters), area: "admin" },
  ],
  nav: [
    { area: "admin", label: "Audit log", to: "/admin/events", order: 80, roles: ["admin", "support"] },
    { area: "admin", label: "Dead letters", to: "/admin/dead-letters", order: 85, roles: ["admin"] },
  ],
});
const pages = modules.flatMap((m) => (m.pages || []).map((page) => ({ ...page, agent: m.agent })));
const nav = modules.flatMap((m) => m.nav || []).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
const headerParts = modules.flatMap((m) => m.header || []);
const areasWithPages = new Set(pages.map((page) => page.area));

function useWho() {
  const [who, setWho] = useState(signedIn());
  useEffect(() => onCredentials(() => setWho(signedIn())), []);
  return who;
}

function areaOf(path) {
  const first = path.split("/").filter(Boolean)[0];
  return ["admin", "explorer", "account"].includes(first) ? first : "shop";
}

function Header({ path }) {
  const who = useWho();
  const mine = roles();
  const staff = mine.some((role) => STAFF.includes(role));
  const area = areaOf(path);
  const links = nav.filter(
    (link) => link.area === area && (!link.roles || link.roles.some((r) => mine.includes(r))),
  );
  return html`<header class="top">
    <div class="bar">
      <${Link} to="/" class="brand" aria-label="Mercato home">Mercato</${Link}>
      <nav class="areas" aria-label="Areas">
        ${AREAS.filter((a) => areasWithPages.has(a.name) && (!a.staff || staff)).map(
          (a) => html`<${Link} to=${a.to} aria-current=${a.name === area ? "page" : undefined}>${a.label}</${Link}>`,
        )}
      </nav>
      <div class="tools">
        ${headerParts.map((Part) => html`<${Part} />`)}
        ${who
          ? html`<${Link} to="/account" class="who">${who.user?.full_name || "Account"}</${Link}>`
          : html`<${Link} to="/account/sign-in" class="who">Sign in</${Link}>`}
      </div>
    </div>
    ${links.length > 0 &&
    html`<nav class="sub" aria-label="${area} pages">
      ${links.map((link) => html`<${Link} to=${link.to} aria-current=${link.to === path ? "page" : undefined}>${link.label}</${Link}>`)}
    </nav>`}
  </header>`;
}

const loaded = new Map();

/** A page whose module is fetched the first time it is shown. */
function Lazy({ page, params, query }) {
  const [View, setView] = useState(() => loaded.get(page));
  const [failure, setFailure] = useState(null);
  useEffect(() => {
    if (View) return;
    page.load().then(
      (view) => {
        loaded.set(page, view);
        setView(() => view);
      },
      setFailure,
    );
  }, [page]);
  if (failure) throw failure;
  return View ? html`<${View} params=${params} query=${query} />` : html`<${Page}><${Loading} /></${Page}>`;
}

function Guarded({ page, params, query }) {
  const [error, reset] = useErrorBoundary((e) => console.error(e));
  if (error) {
    return html`<${Page} title="This page failed">
      <div class="problem" role="alert"><p class="problem-title">Something broke while showing this page.</p>
      <p>${String(error.message || error)}</p>
      <button class="button secondary" onClick=${reset}>Try again</button></div>
    </${Page}>`;
  }
  return page.load
    ? html`<${Lazy} page=${page} params=${params} query=${query} />`
    : html`<${page.view} params=${params} query=${query} />`;
}

function App() {
  const { path, query } = useLocation();
  const found = match(pages, path);
  return html`<a class="skip" href="#main">Skip to content</a>
    <${Header} path=${path} />
    <main id="main">
      ${found
        ? html`<${Guarded} key=${path} page=${found.page} params=${found.params} query=${query} />`
        : html`<${Page} title="No page here"><${Empty} title="There is no page at this address.">
            <${Link} to="/">Back to the shop</${Link}></${Empty}></${Page}>`}
    </main>
    <footer class="foot">
      <span>Mercato</span><a href="/docs">API documentation</a><a href="/health">Health</a>
    </footer>`;
}

const root = document.getElementById("app");
root.textContent = ""; // the boot message goes; Preact would keep it beside the app
render(html`<${App} />`, root);
