// What one agent's pages offer the others' (the cart's "add this variant"), named and looked
// up here, so that no page module imports another agent's files: the browser's side of
// "an agent learns what another knows from its service functions".
const offered = new Map();
const listeners = new Map();

export function provide(name, fn) {
  offered.set(name, fn);
}

/** The function offered under `name`; a page whose helper agent is absent gets null. */
export function service(name) {
  return offered.get(name) || null;
}

/** Tell whoever listens that something changed (`emit("cart", cart)`). */
export function emit(topic, value) {
  for (const listener of listeners.get(topic) || []) listener(value);
}

export function on(topic, listener) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(listener);
  return () => listeners.get(topic).delete(listener);
}
