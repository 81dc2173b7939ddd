// Help in the shop: ask a question (answered from the store's FAQ, best first), read the FAQ
// by topic, or write to a person (a ticket; a guest gets a session for it, as for a cart).
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { credentials, rememberGuest, signedIn } from "mercato/lib/credentials.js";
import { words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Paragraphs } from "./parts.js";

const CONFIDENT = 0.5;
const CATEGORIES = ["", "order", "shipping", "returns", "payment", "product", "account", "other"];

function Article({ article, open = false }) {
  return html`<details class="panel faq" open=${open}><summary><b>${article.question}</b></summary>
    <${Paragraphs} text=${article.answer} /></details>`;
}

function Ask() {
  const [q, setQ] = useState("");
  const [found, setFound] = useState(null);
  const [problem, setProblem] = useState(null);
  const ask = async (e) => {
    e.preventDefault();
    setProblem(null);
    if (!q.trim()) return;
    try {
      setFound((await api("GET", `/v1/support/faq?q=${encodeURIComponent(q.trim())}&limit=3`)).items);
    } catch (p) {
      setProblem(p);
    }
  };
  const confident = (found || []).filter((a) => a.score >= CONFIDENT);
  return html`<section aria-labelledby="ask-heading"><h2 id="ask-heading">Ask a question</h2>
    <form class="search-box" role="search" onSubmit=${ask}>
      <label class="visually-hidden" for="help-q">Your question</label>
      <input id="help-q" type="search" placeholder="How do I return an item?" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
      <button class="button primary" type="submit">Ask</button>
    </form>
    <${ProblemBox} problem=${problem} />
    ${found && html`<div role="status" style="margin-top:12px">
      ${confident.length > 0 ? confident.map((a, i) => html`<${Article} article=${a} open=${i === 0} />`)
        : html`<p>We found no answer to that. <a href="#contact">Write to us</a> and a person will reply.</p>
          ${found.length > 0 && html`<p class="muted">Perhaps: ${found.map((a) => a.question).join(" · ")}</p>`}`}
    </div>`}
  </section>`;
}

function Contact() {
  const [form, setForm] = useState({ subject: "", body: "", category: "", email: signedIn()?.user?.email || "" });
  const [problem, setProblem] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const send = async () => {
    setProblem(null);
    try {
      if (Object.keys(credentials()).length === 0) rememberGuest(await api("POST", "/v1/sessions", { body: {} }));
      const body = { subject: form.subject, body: form.body, category: form.category || null, email: form.email || null };
      const ticket = await api("POST", "/v1/support/tickets", { body });
      navigate(`/account/tickets/${ticket.id}`);
    } catch (p) {
      setProblem(p);
    }
  };
  const errors = problem?.fields ? problem.fields() : {};
  return html`<section class="panel" id="contact" aria-labelledby="contact-heading"><h2 id="contact-heading">Contact us</h2>
    <p class="muted">A person from our support team answers, usually within a working day.
      ${Object.keys(credentials()).length > 0 && html` Follow it under <${Link} to="/account/tickets">your tickets</${Link}>.`}</p>
    <${Field} label="Subject" value=${form.subject} onInput=${set("subject")} error=${errors.subject} maxlength="200" />
    <div class="field"><label for="contact-body">Message</label>
      <textarea id="contact-body" rows="5" value=${form.body} onInput=${set("body")}></textarea></div>
    <div class="fields">
      <${Field} label="About" as="select" value=${form.category} onChange=${set("category")}>
        ${CATEGORIES.map((c) => html`<option value=${c}>${c ? words(c) : "Let us work it out"}</option>`)}
      </${Field}>
      <${Field} label="Email (to answer you there too)" type="email" value=${form.email} onInput=${set("email")} error=${errors.email} autocomplete="email" />
    </div>
    <${ProblemBox} problem=${problem} />
    <${Action} disabled=${!form.subject.trim() || !form.body.trim()} onClick=${send}>Send</${Action}>
  </section>`;
}

export function HelpPage() {
  const faq = useLoad(() => api("GET", "/v1/support/faq"), []);
  const topics = [];
  for (const article of faq.data?.items || []) {
    let group = topics.find((t) => t.topic === article.topic);
    if (!group) topics.push((group = { topic: article.topic, articles: [] }));
    group.articles.push(article);
  }
  return html`<${Page} title="Help">
    <${Ask} />
    <h2 style="margin-top:24px">Frequently asked questions</h2>
    ${faq.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${faq.problem} onRetry=${faq.reload} />
    ${faq.data && topics.length === 0 && html`<${Empty} title="No questions answered here yet." />`}
    ${topics.map((group) => html`<section aria-label=${words(group.topic)}><h3>${words(group.topic)}</h3>
      ${group.articles.map((a) => html`<${Article} article=${a} />`)}</section>`)}
    <${Contact} />
  </${Page}>`;
}
