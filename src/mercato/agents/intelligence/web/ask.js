// Ask the intelligence agent (/admin/intelligence/ask): a question in plain words, Quick
// (stored analyses, seconds) or Deep (fresh analyses, slower), queued at once; its agents'
// progress live over the question's WebSocket (or by polling its state every 500 ms when the
// socket cannot be used), then the report drawn in the page. Follow-ups keep the
// conversation: its earlier questions stay above, until "New conversation".
import { html, useEffect, useRef, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { credentials, refreshed, signedIn } from "mercato/lib/credentials.js";
import { words } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { ReportView, Tabs, Tag } from "./reports.js";

const EXAMPLES = [
  "How are my prices compared to competitors?",
  "Why did sales drop last month, and what should I do?",
  "Which products may run out of stock?",
  "What do customers complain about?",
];
const FINISHED = ["done", "partial", "failed"];
const POLL_MS = 500;

/** The conversation survives leaving the page and coming back (not a reload, nor another
 * user signing in). */
let kept = { conversationId: null, turns: [], user: null };
const me = () => signedIn()?.user?.id || null;

const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text);
const seconds = (s) => (s < 1 ? "less than a second" : s < 90 ? `about ${Math.round(s)} s` : `about ${Math.round(s / 60)} min`);

/** Whether an access token expires within the next half minute (its `exp`, unverified). */
function expiring(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return payload.exp * 1000 < Date.now() + 30_000;
  } catch {
    return false;
  }
}

/** Follow a question to its end: over its WebSocket, else by polling. `on(patch)` gets each
 * change of the turn; the returned function stops following. */
function follow(queryId, on) {
  let stopped = false, socket = null, timer = null, finished = false;
  const poll = async () => {
    if (stopped || finished) return;
    try {
      const q = await api("GET", `/v1/intelligence/queries/${encodeURIComponent(queryId)}`);
      if (stopped) return;
      const done = FINISHED.includes(q.status) && (q.report || q.status === "failed");
      on({ status: q.status, agents: q.agents, progress: q.progress, via: "polling",
        ...(done ? { report: q.report, error: q.report ? null : q.error || "The question failed." } : {}) });
      if (done) finished = true;
    } catch (problem) {
      if (problem.status >= 400 && problem.status < 500) {
        finished = true; // gone or not ours: asking again will not change that
        on({ status: "failed", error: problem.detail || problem.title });
      }
    }
    if (!finished && !stopped) timer = setTimeout(poll, POLL_MS);
  };
  const fallBack = () => {
    if (!stopped && !finished && timer === null) poll();
  };
  const open = async () => {
    const user = signedIn();
    if (user && expiring(user.access_token)) await refreshed(`Bearer ${user.access_token}`);
    const token = (credentials().authorization || "").replace(/^Bearer /, "");
    if (stopped || !token || typeof WebSocket === "undefined") return fallBack();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    try {
      socket = new WebSocket(`${scheme}://${location.host}/v1/intelligence/ws/${encodeURIComponent(queryId)}?token=${encodeURIComponent(token)}`);
    } catch {
      return fallBack();
    }
    socket.onopen = () => on({ via: "socket" });
    socket.onmessage = (message) => {
      let m;
      try {
        m = JSON.parse(message.data);
      } catch {
        return;
      }
      if (m.type === "status") on({ status: m.status, agents: m.agents, progress: m.progress });
      else if (m.type === "planned") on({ status: "running", planned: m.agents });
      else if (m.type === "agent") on({ agent: { name: m.agent, status: m.status, ms: m.ms } });
      else if (m.type === "report") {
        finished = true;
        on({ status: m.status, report: m.report });
      } else if (m.type === "failed") {
        finished = true;
        on({ status: "failed", error: m.error || "The question failed." });
      }
    };
    socket.onclose = () => {
      socket = null;
      fallBack(); // closed before the end (or never opened): the question's state over HTTP
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
}

/** A turn with a change from `follow` applied. */
function applied(turn, patch) {
  const next = { ...turn };
  if (patch.via) next.via = patch.via;
  if (patch.status) next.status = patch.status;
  if (patch.agents?.length) next.agents = patch.agents;
  if (patch.progress) next.progress = { ...next.progress, ...patch.progress };
  if (patch.planned) {
    next.agents = patch.planned;
    next.progress = Object.fromEntries(patch.planned.map((a) => [a, next.progress?.[a] || { status: "queued", ms: 0 }]));
  }
  if (patch.agent) {
    const { name, status, ms } = patch.agent;
    next.progress = { ...next.progress, [name]: { status, ms } };
    if (!next.agents.includes(name)) next.agents = [...next.agents, name];
  }
  if ("report" in patch && patch.report) next.report = patch.report;
  if (patch.error) next.error = patch.error;
  return next;
}

function Progress({ turn }) {
  const agents = turn.agents || [];
  const state = turn.status === "queued" ? "Waiting in the queue" : turn.status === "running" ? "Running" : words(turn.status);
  return html`<div class="panel i-progress">
    <p role="status" aria-live="polite"><b>${state}</b>${turn.status === "queued" && turn.wait !== undefined ? ` — it starts in ${seconds(turn.wait)}${turn.position > 1 ? ` (${turn.position - 1} ahead)` : ""}` : ""}.
      <span class="muted i-small">${turn.via === "socket" ? "Live" : turn.via === "polling" ? "Checking every half second" : ""}</span></p>
    ${agents.length === 0
      ? html`<p class="muted">Reading the question…</p>`
      : html`<ul class="i-agent-list" aria-label="Progress by analysis">${agents.map((a) => {
          const p = turn.progress?.[a] || { status: "queued", ms: 0 };
          return html`<li><span class="i-agent-name">${words(a)}</span> <${Tag} status=${p.status} />
            ${p.status === "running" && html`<span class="spinner i-small" aria-hidden="true"></span>`}
            ${p.ms > 0 && p.status !== "running" && html`<span class="muted i-small">${Math.round(p.ms).toLocaleString()} ms</span>`}</li>`;
        })}</ul>`}
  </div>`;
}

function Turn({ turn, latest }) {
  if (!latest) {
    return html`<details class="panel i-earlier">
      <summary><b>${turn.question}</b> <span class="muted i-small">${turn.report ? clip(turn.report.summary?.text || "", 160) : words(turn.status)}</span></summary>
      ${turn.report ? html`<${ReportView} report=${turn.report} heading=${3} />` : turn.error && html`<p class="field-error">${turn.error}</p>`}
    </details>`;
  }
  return html`<section class="i-turn" aria-label="The answer">
    <h2 class="i-question">${turn.question}</h2>
    ${!turn.report && !turn.error && html`<${Progress} turn=${turn} />`}
    ${turn.error && html`<div class="problem" role="alert"><p class="problem-title">No report could be written</p><p>${turn.error}</p></div>`}
    ${turn.report && html`<${ReportView} report=${turn.report} heading=${3} />`}
  </section>`;
}

export function AskPage() {
  const [conversation, setConversation] = useState(() => (kept.user === me() ? kept : { conversationId: null, turns: [], user: me() }));
  const [text, setText] = useState("");
  const [mode, setMode] = useState("quick");
  const [problem, setProblem] = useState(null);
  const [sending, setSending] = useState(false);
  const box = useRef(null);
  const queue = useLoad(() => api("GET", "/v1/intelligence/queue"), [conversation.turns.length]);
  const { turns, conversationId } = conversation;
  const last = turns[turns.length - 1];
  const busy = last && !last.report && !last.error;

  useEffect(() => {
    kept = conversation;
  }, [conversation]);

  const update = (queryId, patch) =>
    setConversation((c) => ({ ...c, turns: c.turns.map((t) => (t.queryId === queryId ? applied(t, patch) : t)) }));

  // follow the latest question while it runs (again after coming back to the page)
  useEffect(() => {
    if (!busy) return undefined;
    return follow(last.queryId, (patch) => update(last.queryId, patch));
  }, [busy && last.queryId]);

  const ask = async (event) => {
    event?.preventDefault();
    const question = text.trim();
    if (question.length < 3) {
      setProblem({ title: "Write a question", detail: "A few words at least, like one of the examples." });
      box.current?.focus();
      return;
    }
    setProblem(null);
    setSending(true);
    try {
      const body = { question, mode, conversation_id: conversationId || undefined };
      const accepted = await api("POST", "/v1/intelligence/query", { body });
      setConversation((c) => ({
        ...c,
        conversationId: accepted.conversation_id || c.conversationId,
        turns: [...c.turns, { queryId: accepted.query_id, question, mode: accepted.mode, status: accepted.status,
          wait: accepted.estimated_wait_s, position: accepted.queue_position, agents: [], progress: {}, report: null, error: null }],
      }));
      setText("");
    } catch (p) {
      if (p.code === "intel_conversation_not_found") {
        setConversation({ conversationId: null, turns: [], user: me() });
        setProblem({ title: "That conversation is gone", detail: "Ask again: a new conversation starts." });
      } else {
        setProblem(p);
      }
    } finally {
      setSending(false);
    }
  };

  const restart = () => {
    setConversation({ conversationId: null, turns: [], user: me() });
    setProblem(null);
    setText("");
    box.current?.focus();
  };
  const wait = queue.data?.estimated_wait_s?.[mode];
  const followUp = turns.length > 0;

  return html`<${Page} title="Ask" wide>
    <${Tabs} current="/admin/intelligence/ask" />
    <form class="panel i-ask" onSubmit=${ask} aria-label=${followUp ? "Ask a follow-up" : "Ask a question"}>
      <div class="field">
        <label for="intel-question">${followUp ? "A follow-up, or another question" : "Your question"}</label>
        <textarea id="intel-question" ref=${box} rows="3" maxlength="1000" value=${text}
          placeholder=${followUp ? "and for the jackets?" : "Ask about prices, sales, stock or reviews, in plain words"}
          aria-describedby="intel-question-hint"
          onInput=${(e) => setText(e.currentTarget.value)}
          onKeyDown=${(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) ask(e); }}></textarea>
        <p class="hint" id="intel-question-hint">Ctrl+Enter asks. ${followUp ? "A follow-up keeps the earlier question's products and period." : ""}</p>
      </div>
      ${!followUp && html`<ul class="chips i-examples" aria-label="Examples">
        ${EXAMPLES.map((q) => html`<li><button type="button" class="i-chip" onClick=${() => { setText(q); box.current?.focus(); }}>${q}</button></li>`)}
      </ul>`}
      <fieldset class="i-mode">
        <legend>Mode</legend>
        <label class="i-mode-option"><input type="radio" name="intel-mode" value="quick" checked=${mode === "quick"} onChange=${() => setMode("quick")} />
          <span><b>Quick</b> <span class="muted i-small">stored analyses, answers in seconds</span></span></label>
        <label class="i-mode-option"><input type="radio" name="intel-mode" value="deep" checked=${mode === "deep"} onChange=${() => setMode("deep")} />
          <span><b>Deep</b> <span class="muted i-small">slower: runs fresh analyses (forecasts, sentiment), uses the token budget</span></span></label>
      </fieldset>
      <div class="i-ask-row">
        <button class="button primary" type="submit" disabled=${sending || busy} aria-busy=${sending}>${sending ? "Asking…" : busy ? "Answering…" : "Ask"}</button>
        ${followUp && html`<button class="button secondary" type="button" onClick=${restart} disabled=${busy}>New conversation</button>`}
        <span class="muted i-small" aria-live="polite">${wait === undefined ? "" : wait < 1 ? `${mode === "deep" ? "Deep" : "Quick"}: starts at once` : `${mode === "deep" ? "Deep" : "Quick"}: estimated wait ${seconds(wait)}`}${queue.data?.queued ? `, ${queue.data.queued} queued` : ""}</span>
      </div>
      <${ProblemBox} problem=${problem} />
    </form>
    ${turns.length > 1 && html`<section class="i-conversation" aria-label="Earlier in this conversation">
      <h2 class="i-small-head">Earlier in this conversation</h2>
      ${turns.slice(0, -1).map((t) => html`<${Turn} key=${t.queryId} turn=${t} latest=${false} />`)}
    </section>`}
    ${last && html`<${Turn} key=${last.queryId} turn=${last} latest=${true} />`}
    ${last?.report && html`<p><button type="button" class="button secondary" onClick=${() => { box.current?.focus(); box.current?.scrollIntoView({ block: "center" }); }}>Ask a follow-up</button></p>`}
    ${turns.length === 0 && html`<p class="muted">Every answer is kept: see <${Link} to="/admin/intelligence/reports">Reports</${Link}>.</p>`}
  </${Page}>`;
}
