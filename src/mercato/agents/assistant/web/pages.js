// The assistant's pages in the console: the chat on every storefront page (the "Ask us"
// button at the bottom right, mounted beside the app by a header part that shows nothing in
// the header itself) and "What we remember", where a shopper or guest sees and forgets what
// the assistant keeps of them.
import { html, render, useEffect } from "preact-htm";
import { Assistant } from "./launcher.js";

const memory = () => import("./memory.js");

/** Puts the chat in a root of its own at the end of the page: above the content, last in
 * the tab order like its place at the bottom right, and outside the header's landmark. */
function ChatMount() {
  useEffect(() => {
    const root = document.createElement("div");
    root.id = "assistant";
    document.body.append(root);
    // after this effect: a root rendered while the shell's effects run would not get its own
    const later = setTimeout(() => render(html`<${Assistant} />`, root));
    return () => {
      clearTimeout(later);
      render(null, root);
      root.remove();
    };
  }, []);
  return null;
}

export default {
  pages: [
    { path: "/account/memory", title: "What we remember", load: () => memory().then((m) => m.MemoryPage), area: "account" },
  ],
  nav: [{ area: "account", label: "What we remember", to: "/account/memory", order: 30 }],
  header: [ChatMount],
};
