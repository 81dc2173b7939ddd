// The product listing: the words searched for and the filters live in the address (a result
// can be shared and the back button works); "Show more" follows the API's cursor.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { SearchBox } from "./home.js";
import { ProductGrid } from "./tiles.js";

const SORTS = [
  ["newest", "Newest"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["name", "Name"],
];
const WIDE = matchMedia("(min-width: 641px)").matches;
const FILTERS = ["q", "category", "min_price", "max_price", "in_stock", "sort"];

function flatten(categories, depth = 0, out = []) {
  for (const c of categories) {
    out.push({ slug: c.slug, label: `${"\u2003".repeat(depth)}${c.name}` });
    flatten(c.children || [], depth + 1, out);
  }
  return out;
}

export function Listing({ query }) {
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) || ""]));
  const key = toQuery(chosen);
  const categories = useLoad(() => api("GET", "/v1/categories?limit=200"), []);
  const first = useLoad(() => api("GET", `/v1/products${toQuery({ ...chosen, limit: 24 })}`), [key]);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  const shown = useRef(key);
  shown.current = key; // an answer for other filters than these is dropped
  useEffect(() => setMore({ items: [], cursor: first.data?.next_cursor || null, problem: null }), [first.data]);

  const set = (name, value) => navigate(`/shop/products${toQuery({ ...chosen, [name]: value })}`);
  const showMore = async () => {
    try {
      const asked = key;
      const page = await api("GET", `/v1/products${toQuery({ ...chosen, limit: 24, cursor: more.cursor })}`);
      if (shown.current !== asked) return;
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor, problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const title = chosen.q ? `Results for “${chosen.q}”` : "All products";
  const items = first.data ? [...first.data.items, ...more.items] : [];
  return html`<${Page} title=${title}>
    <${SearchBox} initial=${chosen.q} key=${chosen.q} />
    <div class="row" style="margin-top:16px">
      <aside class="side panel filters" aria-label="Filters"><details class="filters-box" open=${WIDE}>
        <summary>Filters</summary>
        <${Field} label="Department" as="select" value=${chosen.category}
          onChange=${(e) => set("category", e.currentTarget.value)}>
          <option value="">All departments</option>
          ${flatten(categories.data?.items || []).map((c) => html`<option value=${c.slug}>${c.label}</option>`)}
        </${Field}>
        <div class="fields">
          <${Field} label="Min price" type="number" min="0" step="0.01" inputmode="decimal" value=${chosen.min_price}
            onChange=${(e) => set("min_price", e.currentTarget.value)} />
          <${Field} label="Max price" type="number" min="0" step="0.01" inputmode="decimal" value=${chosen.max_price}
            onChange=${(e) => set("max_price", e.currentTarget.value)} />
        </div>
        <label class="check"><input type="checkbox" checked=${chosen.in_stock === "true"}
          onChange=${(e) => set("in_stock", e.currentTarget.checked ? "true" : "")} /> In stock only</label>
        <${Field} label="Sort by" as="select" value=${chosen.sort || "newest"}
          onChange=${(e) => set("sort", e.currentTarget.value === "newest" ? "" : e.currentTarget.value)}>
          ${SORTS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </${Field}>
      </details></aside>
      <div class="grow">
        ${first.problem && html`<${ProblemBox} problem=${first.problem} onRetry=${first.reload} />`}
        ${first.loading && html`<${Loading} label="Finding products…" />`}
        ${!first.loading && first.data && items.length === 0 &&
        html`<${Empty} title="No product matches.">Try fewer words or fewer filters.</${Empty}>`}
        ${items.length > 0 && html`<p class="muted" aria-live="polite">${items.length}${more.cursor ? "+" : ""} products</p>
          <${ProductGrid} products=${items} />`}
        <${ProblemBox} problem=${more.problem} />
        ${more.cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${showMore} busyLabel="Loading more…">Show more</${Action}></div>`}
      </div>
    </div>
  </${Page}>`;
}
