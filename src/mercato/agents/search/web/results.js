// Search results: the words and filters live in the address (shareable, the back button
// works); facets count what matched; a misspelt query shows what it was taken for; opening
// a product tells the search agent which result was chosen (`POST /v1/search/clicks`).
import { html, useEffect, useRef, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { navigate } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { words as title } from "mercato/lib/format.js";

const SORTS = [
  ["relevance", "Best match"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["newest", "Newest"],
  ["rating", "Customer rating"],
];
const WIDE = matchMedia("(min-width: 641px)").matches;
const SINGLE = ["q", "category", "brand", "min_price", "max_price", "in_stock", "min_rating", "sort"];

function chosenOf(query) {
  const chosen = Object.fromEntries(SINGLE.map((name) => [name, query.get(name) || ""]));
  chosen.attr = query.getAll("attr");
  return chosen;
}

function Facet({ name, values, current, onPick, label = (v) => String(v.value) }) {
  if (!values || values.length === 0) return null;
  return html`<fieldset class="facet"><legend>${name}</legend>
    ${values.map((v) => {
      const on = current(v);
      return html`<label class="check"><input type="checkbox" checked=${on} onChange=${() => onPick(v, !on)} />
        ${label(v)} <span class="muted">(${v.count})</span></label>`;
    })}
  </fieldset>`;
}

function Facets({ facets, chosen, set }) {
  const attrs = Object.keys(facets).filter((k) => k.startsWith("attr:"));
  const hasAttr = (name, value) => chosen.attr.includes(`${name}:${value}`);
  const toggleAttr = (name, value, on) =>
    set("attr", on ? [...chosen.attr, `${name}:${value}`] : chosen.attr.filter((a) => a !== `${name}:${value}`));
  return html`
    <${Facet} name="Category" values=${facets.category} label=${(v) => v.label || "—"}
      current=${(v) => chosen.category === v.value} onPick=${(v, on) => set("category", on ? v.value : "")} />
    <${Facet} name="Brand" values=${facets.brand} current=${(v) => chosen.brand === v.value}
      onPick=${(v, on) => set("brand", on ? v.value : "")} />
    <${Facet} name="Price" values=${facets.price} label=${(v) => (v.max ? `${v.min} to ${v.max}` : `${v.min} and over`)}
      current=${(v) => chosen.min_price === v.min && chosen.max_price === (v.max || "")}
      onPick=${(v, on) => set({ min_price: on ? v.min : "", max_price: on ? v.max || "" : "" })} />
    <${Facet} name="Availability" values=${(facets.in_stock || []).filter((v) => v.value)} label=${() => "In stock"}
      current=${() => chosen.in_stock === "true"} onPick=${(v, on) => set("in_stock", on ? "true" : "")} />
    <${Facet} name="Customer rating" values=${facets.rating} label=${(v) => v.label}
      current=${(v) => chosen.min_rating === String(v.value)}
      onPick=${(v, on) => set("min_rating", on ? String(v.value) : "")} />
    ${attrs.map((key) => {
      const name = key.slice(5);
      return html`<${Facet} name=${title(name)} values=${facets[key]} current=${(v) => hasAttr(name, v.value)}
        onPick=${(v, on) => toggleAttr(name, v.value, on)} />`;
    })}`;
}

export function SearchPage({ query }) {
  const chosen = chosenOf(query);
  const key = toQuery(chosen);
  const asked = (more) => api("GET", `/v1/search${toQuery({ ...chosen, limit: 24, ...more })}`);
  const first = useLoad(() => asked({}), [key]);
  const [more, setMore] = useState({ items: [], cursor: null, problem: null });
  const shown = useRef(key);
  shown.current = key;
  useEffect(() => setMore({ items: [], cursor: first.data?.next_cursor || null, problem: null }), [first.data]);
  const Tile = service("catalog.tile");

  const set = (name, value) => {
    const next = typeof name === "object" ? { ...chosen, ...name } : { ...chosen, [name]: value };
    navigate(`/shop/search${toQuery(next)}`);
  };
  const showMore = async () => {
    try {
      const was = key;
      const page = await asked({ cursor: more.cursor });
      if (shown.current !== was) return;
      setMore({ items: [...more.items, ...page.items], cursor: page.next_cursor, problem: null });
    } catch (problem) {
      setMore({ ...more, problem });
    }
  };
  const opened = (product, position) => () => {
    const body = { query_id: first.data.query_id, product_id: product.id, position };
    api("POST", "/v1/search/clicks", { body }).catch(() => {}); // a lost click is not the shopper's problem
  };
  const [words, setWords] = useState(chosen.q);
  const submit = (event) => {
    event.preventDefault();
    set("q", words.trim());
  };
  const data = first.data;
  const items = data ? [...data.items, ...more.items] : [];
  return html`<${Page} title=${chosen.q ? `Results for “${chosen.q}”` : "Search"}>
    <form class="search-box" role="search" onSubmit=${submit}>
      <label class="visually-hidden" for="search-page-words">Search products</label>
      <input id="search-page-words" type="search" value=${words} placeholder="Search products"
        onInput=${(e) => setWords(e.currentTarget.value)} />
      <button class="button primary" type="submit">Search</button>
    </form>
    ${data?.did_you_mean && html`<p class="notice" role="status">Showing results for <b>${data.did_you_mean}</b>.</p>`}
    ${data?.nearest
      ? html`<p class="notice" role="status">Nothing matches “${chosen.q}” exactly: these are the closest in meaning.</p>`
      : data?.relaxed && html`<p class="notice" role="status">No product has every word: these have some of them, or mean what you asked.</p>`}
    <div class="row" style="margin-top:16px">
      <aside class="side panel filters" aria-label="Filters"><details class="filters-box" open=${WIDE}>
        <summary>Filters and sort</summary>
        <${Field} label="Sort by" as="select" value=${chosen.sort || "relevance"}
          onChange=${(e) => set("sort", e.currentTarget.value === "relevance" ? "" : e.currentTarget.value)}>
          ${SORTS.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </${Field}>
        ${data && html`<${Facets} facets=${data.facets} chosen=${chosen} set=${set} />`}
      </details></aside>
      <div class="grow">
        ${first.problem && html`<${ProblemBox} problem=${first.problem} onRetry=${first.reload} />`}
        ${first.loading && html`<${Loading} label="Searching…" />`}
        ${!first.loading && data && items.length === 0 &&
        html`<${Empty} title="Nothing matches.">Try other words, or fewer filters.</${Empty}>`}
        ${items.length > 0 && html`<p class="muted" aria-live="polite">${data.total_estimate} products</p>
          <ul class="grid">${items.map((hit, n) => Tile
            ? html`<${Tile} key=${hit.product.id} product=${hit.product} onOpen=${opened(hit.product, n)} />`
            : html`<li key=${hit.product.id}>${hit.product.name}</li>`)}</ul>`}
        <${ProblemBox} problem=${more.problem} />
        ${more.cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${showMore} busyLabel="Loading more…">Show more</${Action}></div>`}
      </div>
    </div>
  </${Page}>`;
}
