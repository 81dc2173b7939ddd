// The console's only way to the server: Mercato's public API, with the caller's credentials
// (a signed-in user's bearer token, or a guest's session token). Errors come back as
// `Problem`s built from the API's problem+json answers.
import { credentials, refreshed, forget } from "mercato/lib/credentials.js";

export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `The server answered ${status}`);
    this.status = status;
    this.code = body?.code || "unknown";
    this.title = body?.title || "Something went wrong";
    this.detail = body?.detail || "";
    this.errors = body?.errors || [];
    this.body = body || {};
  }

  /** Field errors by the field's name (`body.email` → `email`). */
  fields() {
    const out = {};
    for (const error of this.errors) {
      const name = (error.loc || []).filter((part) => part !== "body").join(".");
      if (name && !out[name]) out[name] = error.message;
    }
    return out;
  }
}

/** `api("GET", "/v1/products?limit=20")`: the answer's JSON (null for 204). A `FormData`
 * body is sent as multipart/form-data (an upload), anything else as JSON. */
export async function api(method, path, { body, headers = {}, retry = true } = {}) {
  const sent = { ...credentials(), ...headers };
  const form = body instanceof FormData;
  if (body !== undefined && !form) sent["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      body: body === undefined || form ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new Problem(0, {
      code: "network_error",
      title: "The server cannot be reached",
      detail: "Check your connection, then try again.",
    });
  }
  if (response.status === 401 && retry && sent.authorization && (await refreshed(sent.authorization))) {
    return api(method, path, { body, headers, retry: false });
  }
  if (response.status === 401 && sent.authorization) forget();
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/** A query string from an object, leaving out empty values (arrays repeat the name). */
export function query(params) {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.append(name, String(one));
  }
  const text = out.toString();
  return text ? `?${text}` : "";
}
