// A signed-in user's in-app notifications, newest first: the unread ones stand out, each can
// be marked read (opening one marks it too) or all at once, and new ones arrive live (the
// header's bell shows a toast as well). "Show more" follows the API's cursor.
import { html, useEffect, useState } from "preact-htm";
import { api, query as toQuery } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { when } from "mercato/lib/format.js";
import { Link, navigate } from "mercato/lib/router.js";
import { Action, Empty, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { follow, markAllRead, markRead, setUnread, unread } from "./live.js";
import { kindLabel, linkOf } from "./parts.js";

const PAGE = 20;

function SignInFirst({ title, then }) {
  return html`<${Page} title=${title}><div class="panel">
    <p>Sign in to see what we told you about your orders and your account.</p>
    <${Link} to=${`/account/sign-in?next=${encodeURIComponent(then)}`} class="button primary" style="text-decoration:none;display:inline-block">Sign in</${Link}>
  </div></${Page}>`;
}

function Item({ item, fresh, onRead }) {
  const to = linkOf(item);
  const isUnread = !item.read_at;
  const opened = () => {
    if (isUnread) onRead(item, true);
  };
  return html`<li class=${`inbox-item${isUnread ? " unread" : ""}${fresh ? " fresh" : ""}`}>
    <span class="inbox-dot" aria-hidden="true"></span>
    <div class="inbox-what">
      <p class="inbox-title">${isUnread && html`<span class="visually-hidden">Unread: </span>`}
        ${to ? html`<span onClick=${opened}><${Link} to=${to}>${item.title}</${Link}></span>` : item.title}</p>
      ${item.body && html`<p class="inbox-body">${item.body}</p>`}
      <p class="inbox-meta muted">${kindLabel(item.kind)} · <time datetime=${item.created_at}>${when(item.created_at)}</time>
        ${!isUnread && html` · read`}</p>
    </div>
    ${isUnread && html`<${Action} kind="secondary" aria-label=${`Mark “${item.title}” read`}
      onClick=${() => onRead(item, false)}>Mark read</${Action}>`}
  </li>`;
}

export function InboxPage({ query }) {
  if (!signedIn()) return html`<${SignInFirst} title="Notifications" then="/account/notifications" />`;
  return html`<${Inbox} onlyUnread=${query.get("unread") === "true"} />`;
}

function Inbox({ onlyUnread }) {
  const first = useLoad(() => api("GET", `/v1/me/notifications${toQuery({ unread: onlyUnread, limit: PAGE })}`), [onlyUnread]);
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [fresh, setFresh] = useState(() => new Set());
  const [count, setCount] = useState(unread());
  const [problem, setProblem] = useState(null);

  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setCursor(first.data.next_cursor);
    setUnread(first.data.unread); // the header's bell follows what the server just said
  }, [first.data]);

  useEffect(() => follow((event) => {
    if (event.type === "unread") setCount(event.unread);
    if (event.type === "notification") {
      const { type, ...item } = event;
      setItems((list) => (list.some((i) => i.id === item.id) ? list
        : [{ created_at: new Date().toISOString(), read_at: null, data: {}, ...item }, ...list]));
      setFresh((ids) => new Set([...ids, item.id]));
    }
    if (event.type === "read") setItems((list) => list.map((i) => (i.id === event.item.id ? event.item : i)));
    if (event.type === "read-all") {
      const now = new Date().toISOString();
      setItems((list) => list.map((i) => (i.read_at ? i : { ...i, read_at: now })));
    }
    if (event.type === "resync") first.reload();
  }), [first.reload]);

  const read = async (item, andGo) => {
    setProblem(null);
    try {
      await markRead(item.id, { wasUnread: !item.read_at });
    } catch (p) {
      if (!andGo) setProblem(p); // opening it goes on: it stays unread
    }
  };
  const readAll = async () => {
    setProblem(null);
    try {
      await markAllRead();
    } catch (p) {
      setProblem(p);
    }
  };
  const showMore = async () => {
    setProblem(null);
    try {
      const page = await api("GET", `/v1/me/notifications${toQuery({ unread: onlyUnread, limit: PAGE, cursor })}`);
      setItems((list) => [...list, ...page.items.filter((i) => !list.some((j) => j.id === i.id))]);
      setCursor(page.next_cursor);
    } catch (p) {
      setProblem(p);
    }
  };

  const n = count ?? first.data?.unread ?? 0;
  return html`<${Page} title="Notifications" actions=${html`<${Link} to="/account/notifications/settings">Notification settings</${Link}>`}>
    <div class="inbox-bar">
      <p class="inbox-count" aria-live="polite"><b>${n}</b> unread</p>
      <label class="check"><input type="checkbox" checked=${onlyUnread}
        onChange=${(e) => navigate(`/account/notifications${e.currentTarget.checked ? "?unread=true" : ""}`, { replace: true })} /> Unread only</label>
      <${Action} kind="secondary" disabled=${n === 0} onClick=${readAll}>Mark all read</${Action}>
    </div>
    <${ProblemBox} problem=${problem} />
    ${first.loading && !first.data && html`<${Loading} />`}
    <${ProblemBox} problem=${first.problem} onRetry=${first.reload} />
    ${first.data && items.length === 0 && html`<${Empty} title=${onlyUnread ? "Nothing unread." : "No notifications yet."}>
      We tell you here when an order is confirmed, ships or arrives, and when support answers.</${Empty}>`}
    ${items.length > 0 && html`<ul class="inbox" aria-label="Your notifications">
      ${items.map((item) => html`<${Item} key=${item.id} item=${item} fresh=${fresh.has(item.id)} onRead=${read} />`)}
    </ul>`}
    ${cursor && html`<div class="pager"><${Action} kind="secondary" onClick=${showMore} busyLabel="Loading more…">Show more</${Action}></div>`}
  </${Page}>`;
}
