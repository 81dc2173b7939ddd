// The storefront's home: a search box, the departments, and what is new.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Link, navigate } from "mercato/lib/router.js";
import { service } from "mercato/lib/services.js";
import { Page, Loading, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ProductGrid } from "./tiles.js";

export function SearchBox({ initial = "" }) {
  const [words, setWords] = useState(initial);
  const submit = (event) => {
    event.preventDefault();
    const q = words.trim();
    const searchHref = service("search.href"); // the search agent's results, when it runs
    if (!q) navigate("/shop/products");
    else navigate(searchHref ? searchHref(q) : `/shop/products?q=${encodeURIComponent(q)}`);
  };
  return html`<form class="search-box" role="search" onSubmit=${submit}>
    <label class="visually-hidden" for="search-words">Search products</label>
    <input id="search-words" type="search" placeholder="Search products" value=${words}
      onInput=${(e) => setWords(e.currentTarget.value)} />
    <button class="button primary" type="submit">Search</button>
  </form>`;
}

export function Home() {
  const categories = useLoad(() => api("GET", "/v1/categories?limit=50"), []);
  const newest = useLoad(() => api("GET", "/v1/products?limit=12&in_stock=true"), []);
  return html`<${Page}>
    <div class="hero">
      <h1 tabindex="-1" id="page-title">Everything for everyday life</h1>
      <p>Browse the store's departments or search by name.</p>
      <${SearchBox} />
    </div>
    <h2>Departments</h2>
    ${categories.problem && html`<${ProblemBox} problem=${categories.problem} onRetry=${categories.reload} />`}
    ${categories.loading && html`<${Loading} />`}
    ${categories.data &&
    html`<ul class="chips">${categories.data.items.map(
      (c) => html`<li><${Link} to=${`/shop/products?category=${c.slug}`}>${c.name}</${Link}></li>`,
    )}</ul>`}
    <h2>New in</h2>
    ${newest.problem && html`<${ProblemBox} problem=${newest.problem} onRetry=${newest.reload} />`}
    ${newest.loading ? html`<${Loading} />` : newest.data && html`<${ProductGrid} products=${newest.data.items} />`}
  </${Page}>`;
}
