// The notifications agent's pages in the console: for a signed-in user, the bell in the
// header (the unread count, live, and a toast as each notification arrives), the inbox and
// the notification settings (kinds × channels, phone, time zone, quiet hours, language); for
// staff, the delivery log with one message as sent and the local SMS and push outbox, and
// for admins the template editor with its live preview.
import { Bell } from "./bell.js";
import { InboxPage } from "./inbox.js";
import { stylesheet } from "./parts.js";
// Fetched when one of their pages is first shown: staff pages (and the settings, rarely
// opened) stay out of the shop's load.
const settings = () => import("./settings.js");
const log = () => import("./admin_log.js");
const templates = () => import("./admin_templates.js");

stylesheet();

export default {
  pages: [
    { path: "/account/notifications", title: "Notifications", view: InboxPage, area: "account" },
    { path: "/account/notifications/settings", title: "Notification settings", load: () => settings().then((m) => m.SettingsPage), area: "account" },
    { path: "/admin/notifications", title: "Notifications", load: () => log().then((m) => m.DeliveryLog), area: "admin" },
    { path: "/admin/notifications/messages/:id", title: "Message", load: () => log().then((m) => m.MessagePage), area: "admin" },
    { path: "/admin/notifications/outbox", title: "SMS and push outbox", load: () => log().then((m) => m.Outbox), area: "admin" },
    { path: "/admin/notifications/templates", title: "Notification templates", load: () => templates().then((m) => m.TemplateEditor), area: "admin" },
  ],
  nav: [
    { area: "account", label: "Notifications", to: "/account/notifications", order: 25 },
    { area: "admin", label: "Notifications", to: "/admin/notifications", order: 55, roles: ["admin", "support"] },
    { area: "admin", label: "Templates", to: "/admin/notifications/templates", order: 56, roles: ["admin"] },
  ],
  header: [Bell],
};
