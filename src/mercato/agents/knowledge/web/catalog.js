// The domain catalog as the explorer reads it, fetched once per visit: the entities with
// their fields and relationships (the list, then each entity's detail, in parallel).
import { api } from "mercato/lib/api.js";

let entities = null;

export function allEntities() {
  entities ??= api("GET", "/v1/knowledge/entities").then((list) =>
    Promise.all(list.items.map((e) => api("GET", `/v1/knowledge/entities/${encodeURIComponent(e.name)}`))),
  );
  entities.catch(() => {
    entities = null; // a failed fetch is tried again next time
  });
  return entities;
}
