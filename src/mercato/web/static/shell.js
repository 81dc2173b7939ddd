// The console's shell: it loads the page modules of the agents that have pages (named by the
// server in #console-modules), and lays out whichever page matches the address.
//
// A page module (`agents/<agent>/web/pages.js`) exports by default:
//   pages:  [{ path: "/shop/products/:id", title, view, area }]  (view gets the path's params)
//   nav:    [{ area, label, to, order, roles? }]   links in an area's menu (roles: who sees it)
//   header: [Component]                            small parts of the header (the cart's count)
// Areas: "shop" (the storefront, at / and /shop/…), "account", "admin", "explorer".
import { html, render, useEffect, useErrorBoundary, useState } from "preact-htm";
import { Link, match, useLocation } from "mercato/lib/router.js";
import { onCredentials, roles, signedIn } from "mercato/lib/credentials.js";
import { Page, Empty } from "mercato/lib/ui.js";
import kernelPages from "mercato/pages/events.js";

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
modules.push({ agent: "kernel", ...kernelPages }); // the kernel's own: audit log, dead letters
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

function Guarded({ view: View, params, query }) {
  const [error, reset] = useErrorBoundary((e) => console.error(e));
  if (error) {
    return html`<${Page} title="This page failed">
      <div class="problem" role="alert"><p class="problem-title">Something broke while showing this page.</p>
      <p>${String(error.message || error)}</p>
      <button class="button secondary" onClick=${reset}>Try again</button></div>
    </${Page}>`;
  }
  return html`<${View} params=${params} query=${query} />`;
}

function App() {
  const { path, query } = useLocation();
  const found = match(pages, path);
  useEffect(() => {
    document.getElementById("page-title")?.focus({ preventScroll: true });
  }, [path]);
  return html`<a class="skip" href="#main">Skip to content</a>
    <${Header} path=${path} />
    <main id="main">
      ${found
        ? html`<${Guarded} key=${path} view=${found.page.view} params=${found.params} query=${query} />`
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
