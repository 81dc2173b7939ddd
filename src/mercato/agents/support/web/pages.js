// The support agent's pages in the console: in the shop, Help (the FAQ by topic, a question
// box answered from it, and a form to reach a person) and the shopper's tickets; for staff,
// the Support inbox (filters, SLA due times and breaches), a ticket (its handed-off chat, its
// messages, a reply box with internal notes, status, priority and assignee) and the FAQ editor.
import { HelpPage } from "./help.js";
import { MyTicket, MyTickets } from "./my_tickets.js";
// Fetched when one of their pages is first shown: staff pages stay out of the shop's load.
const inbox = () => import("./inbox.js");
const ticket = () => import("./ticket.js");
const faqAdmin = () => import("./faq_admin.js");

export default {
  pages: [
    { path: "/shop/help", title: "Help", view: HelpPage, area: "shop" },
    { path: "/account/tickets", title: "Your tickets", view: MyTickets, area: "account" },
    { path: "/account/tickets/:id", title: "Ticket", view: MyTicket, area: "account" },
    { path: "/admin/support", title: "Support", load: () => inbox().then((m) => m.Inbox), area: "admin" },
    { path: "/admin/support/tickets/:id", title: "Ticket", load: () => ticket().then((m) => m.AdminTicket), area: "admin" },
    { path: "/admin/support/faq", title: "FAQ", load: () => faqAdmin().then((m) => m.FaqEditor), area: "admin" },
  ],
  nav: [
    { area: "shop", label: "Help", to: "/shop/help", order: 90 },
    { area: "account", label: "Tickets", to: "/account/tickets", order: 20 },
    { area: "admin", label: "Support", to: "/admin/support", order: 30, roles: ["admin", "support"] },
    { area: "admin", label: "FAQ", to: "/admin/support/faq", order: 31, roles: ["admin", "support"] },
  ],
};
