// The template editor (admins): every kind of message with its purpose, channels and the
// store's own rewrites; pick a kind, a channel and a locale, edit the subject, text and HTML
// (Jinja), and see the draft filled with the kind's sample data as you type (an unknown
// variable or a syntax error shows where the preview would be). Save keeps the store's
// wording (checked the same way); "Reset" goes back to the shipped one.
import { html, useEffect, useRef, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { words } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { MailFrame, Tabs, channelLabel, kindLabel } from "./parts.js";

const DEBOUNCE_MS = 400;
const PURPOSE_TONES = { transactional: "info", marketing: "warn", staff: "muted" };
const LOCALE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

const address = (kind, channel, locale) => `/admin/notifications/templates${toQuery({ kind, channel, locale })}`;

/** The sample data as the paths a template names (`order.lines[].name`) and their values. */
function flatten(value, path = "", out = []) {
  if (Array.isArray(value)) {
    out.push([path, `a list of ${value.length}`]);
    if (value.length > 0) flatten(value[0], `${path}[]`, out);
  } else if (value && typeof value === "object") {
    for (const [name, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${name}` : name, out);
  } else {
    out.push([path, value === null ? "none" : String(value)]);
  }
  return out;
}

function Variables({ variables }) {
  const rows = flatten(variables);
  return html`<details class="panel variables" open><summary><b>Sample data</b> <span class="muted">(${rows.length} variables the template can use)</span></summary>
    <p class="hint">In a loop (<code>{% for line in order.lines %}</code>) an item is named as you call it: <code>line.name</code>.
      Money reads right with <code>{{ order.total | money(order.currency) }}</code>.</p>
    <div class="vars-box" tabindex="0" role="region" aria-label="Sample data"><table class="vars"><tbody>${rows.map(([path, value]) => html`<tr><td><code>${path}</code></td><td class="breakable">${value}</td></tr>`)}</tbody></table></div>
  </details>`;
}

function KindList({ kinds, chosen }) {
  return html`<nav class="kinds panel" aria-label="Kinds of message"><h2>Kinds</h2>
    <ul>${kinds.map((k) => html`<li>
      <${Link} to=${address(k.name, k.channels[0], "en")} aria-current=${k.name === chosen ? "page" : undefined}>${kindLabel(k.name)}</${Link}>
      <div class="n-small"><span class=${`badge ${PURPOSE_TONES[k.purpose] || "muted"}`}>${words(k.purpose)}</span>
        <span class="muted"> ${k.channels.map(channelLabel).join(" · ")}</span></div>
      ${k.overrides.length > 0 && html`<div class="n-small">Store's own: ${k.overrides.map((o) => html`<span class="badge good">${o}</span> `)}</div>`}
    </li>`)}</ul>
  </nav>`;
}

function Preview({ kind, channel, locale, draft }) {
  const [state, setState] = useState({ out: null, problem: null, busy: true });
  const asked = useRef(0);
  useEffect(() => {
    const ticket = ++asked.current;
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(async () => {
      try {
        const body = { channel, locale, subject: draft.subject, text: draft.text, html: channel === "email" ? draft.html || null : null };
        const out = await api("POST", `/v1/notifications/templates/${encodeURIComponent(kind)}/preview`, { body });
        if (ticket === asked.current) setState({ out, problem: null, busy: false });
      } catch (problem) {
        if (ticket === asked.current) setState((s) => ({ out: s.out, problem, busy: false }));
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [kind, channel, locale, draft.subject, draft.text, draft.html]);
  const { out, problem, busy } = state;
  return html`<section class="panel preview-pane" aria-labelledby="preview-heading" aria-busy=${busy ? "true" : "false"}>
    <h2 id="preview-heading">Preview <span class="muted n-small">with sample data${busy ? " · updating…" : ""}</span></h2>
    <${ProblemBox} problem=${problem} />
    ${!out && !problem && html`<${Loading} label="Rendering…" />`}
    ${out && html`<div class=${problem ? "stale" : ""}>
      ${problem && html`<p class="muted n-small">The last preview that rendered:</p>`}
      <dl class="facts"><dt>${channel === "push" || channel === "in_app" ? "Title" : "Subject"}</dt><dd class="preview-subject">${out.subject || html`<span class="muted">(none)</span>`}</dd></dl>
      <h3 class="preview-label">Text</h3>
      <pre class="preview preview-text">${out.text}</pre>
      ${out.html && html`<h3 class="preview-label">HTML</h3><${MailFrame} html=${out.html} title="The email's HTML, previewed" height=${520} />`}
    </div>`}
  </section>`;
}

function Editor({ kind, channel, locale, onSaved }) {
  const wording = useLoad(
    () => api("GET", `/v1/notifications/templates/${encodeURIComponent(kind.name)}${toQuery({ channel, locale })}`),
    [kind.name, channel, locale],
  );
  const [draft, setDraft] = useState(null);
  const [problem, setProblem] = useState(null);
  const [done, setDone] = useState(null);
  useEffect(() => {
    if (wording.data) setDraft({ subject: wording.data.subject, text: wording.data.text, html: wording.data.html || "" });
  }, [wording.data]);

  if (wording.loading && !draft) return html`<${Loading} />`;
  if (wording.problem && !draft) return html`<${ProblemBox} problem=${wording.problem} onRetry=${wording.reload} />`;
  if (!draft) return null;
  const w = wording.data;
  const changed = w && (draft.subject !== w.subject || draft.text !== w.text || draft.html !== (w.html || ""));
  const set = (name) => (e) => {
    setDone(null);
    setDraft({ ...draft, [name]: e.currentTarget.value });
  };
  const save = async () => {
    setProblem(null);
    setDone(null);
    try {
      const body = { channel, locale, subject: draft.subject, text: draft.text, html: channel === "email" ? draft.html || null : null };
      await api("PUT", `/v1/notifications/templates/${encodeURIComponent(kind.name)}`, { body });
      await wording.reload();
      setDone("Saved: the store sends this wording from now on.");
      onSaved();
    } catch (p) {
      setProblem(p);
    }
  };
  const reset = async () => {
    setProblem(null);
    setDone(null);
    try {
      await api("DELETE", `/v1/notifications/templates/${encodeURIComponent(kind.name)}${toQuery({ channel, locale })}`);
      await wording.reload();
      setDone("Back to the shipped wording.");
      onSaved();
    } catch (p) {
      setProblem(p);
    }
  };
  const titled = channel === "push" || channel === "in_app";
  return html`<div class="template-editor">
    <section class="panel" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Wording
        ${w.source === "store" ? html` <span class="badge good">Store's own</span>` : html` <span class="badge muted">Shipped</span>`}
        ${changed && html` <span class="badge warn">Unsaved changes</span>`}</h2>
      ${w.locale !== locale && html`<p class="notice">There is no “${locale}” wording of this yet: this is the “${w.locale}” one.
        Saving keeps your text as the “${locale}” wording.</p>`}
      <${Field} label=${titled ? "Title" : "Subject"} value=${draft.subject} maxlength="300" onInput=${set("subject")} />
      <div class="field"><label for="template-text">${channel === "email" ? "Plain text" : "Text"}</label>
        <textarea id="template-text" class="code" rows=${channel === "email" ? 10 : 4} spellcheck="false" value=${draft.text} onInput=${set("text")}></textarea></div>
      ${channel === "email" && html`<div class="field"><label for="template-html">HTML</label>
        <textarea id="template-html" class="code" rows="12" spellcheck="false" value=${draft.html} onInput=${set("html")}></textarea>
        <p class="hint">The body only: the store's layout (its name, the footer) goes around it.</p></div>`}
      <div role="group" aria-label="Save or reset" class="save-bar">
        <${ProblemBox} problem=${problem} />
        ${done && html`<p class="notice" role="status">${done}</p>`}
        <div class="inline-form">
          <${Action} onClick=${save} busyLabel="Saving…">Save</${Action}>
          ${changed && html`<button type="button" class="button secondary" onClick=${() => setDraft({ subject: w.subject, text: w.text, html: w.html || "" })}>Undo changes</button>`}
          ${w.source === "store" && html`<${Action} kind="danger" onClick=${reset} busyLabel="Resetting…">Reset to shipped</${Action}>`}
        </div>
      </div>
    </section>
    <div>
      <${Preview} kind=${kind.name} channel=${channel} locale=${locale} draft=${draft} />
      <${Variables} variables=${w.variables} />
    </div>
  </div>`;
}

function Chooser({ kinds, kind, channel, locale }) {
  const [typed, setTyped] = useState(locale);
  const locales = [...new Set(["en", ...kinds.flatMap((k) => k.locales), ...kind.overrides.map((o) => o.split("/")[1])])].sort();
  const go = (c, l) => navigate(address(kind.name, c, l), { replace: true });
  const commit = (e) => {
    e.preventDefault();
    const wanted = typed.trim().toLowerCase();
    if (LOCALE.test(wanted)) go(channel, wanted);
  };
  return html`<form class="inline-form panel chooser" aria-label="Which template" onSubmit=${commit}>
    <${Field} label="Kind" as="select" value=${kind.name} onChange=${(e) => navigate(address(e.currentTarget.value, kinds.find((k) => k.name === e.currentTarget.value).channels[0], locale), { replace: true })}>
      ${kinds.map((k) => html`<option value=${k.name}>${kindLabel(k.name)}</option>`)}
    </${Field}>
    <${Field} label="Channel" as="select" value=${channel} onChange=${(e) => go(e.currentTarget.value, locale)}>
      ${kind.channels.map((c) => html`<option value=${c}>${channelLabel(c)}</option>`)}
    </${Field}>
    <${Field} label="Locale" value=${typed} list="template-locales" size="8" autocomplete="off"
      error=${typed && !LOCALE.test(typed.trim().toLowerCase()) ? "a language tag: en, es, pt-br" : undefined}
      onInput=${(e) => setTyped(e.currentTarget.value)} onChange=${commit} />
    <datalist id="template-locales">${locales.map((l) => html`<option value=${l} />`)}</datalist>
    <p class="muted n-small chooser-about">${kind.description}</p>
  </form>`;
}

export function TemplateEditor({ query }) {
  const kinds = useLoad(() => api("GET", "/v1/notifications/templates"), []);
  const title = "Notification templates";
  const list = kinds.data?.items || [];
  const kind = list.find((k) => k.name === query.get("kind"));
  const channel = kind && kind.channels.includes(query.get("channel")) ? query.get("channel") : kind?.channels[0];
  const locale = LOCALE.test(query.get("locale") || "") ? query.get("locale") : "en";
  return html`<${Page} title=${title} wide>
    <${Tabs} current="/admin/notifications/templates" />
    ${kinds.loading && !kinds.data && html`<${Loading} />`}
    <${ProblemBox} problem=${kinds.problem} onRetry=${kinds.reload} />
    ${kinds.data && html`<div class="templates">
      <${KindList} kinds=${list} chosen=${kind?.name} />
      <div class="grow">
        ${kind
          ? html`<${Chooser} key=${`${kind.name}/${locale}`} kinds=${list} kind=${kind} channel=${channel} locale=${locale} />
            <${Editor} key=${`${kind.name}/${channel}/${locale}`} kind=${kind} channel=${channel} locale=${locale} onSaved=${kinds.reload} />`
          : html`<${Empty} title=${query.get("kind") ? "There is no such kind of message." : "Choose a kind of message to edit its wording."}>
              Each kind has a template per channel and language; the store's own replaces the shipped one.</${Empty}>`}
      </div>
    </div>`}
  </${Page}>`;
}
