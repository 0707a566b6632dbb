// The page's only way to the server: the public /v1 API, errors turned into ApiError with the
// server's own one-line message, and the API key kept in this tab's sessionStorage only.

const KEY_STORAGE = "glossa.apiKey";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export function getKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || "";
  } catch {
    return ""; // storage disabled: the key simply is not remembered
  }
}

export function setKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled */
  }
  document.dispatchEvent(new CustomEvent("glossa:key"));
}

// Paths are relative so the page also works behind a reverse proxy that mounts it under a prefix.
function url(path, query) {
  const u = new URL(path.replace(/^\//, ""), document.baseURI);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") u.searchParams.set(name, String(value));
  }
  return u;
}

/**
 * Call the API. `json` sends a JSON body, `body` anything else. Answers JSON (or text, or the raw
 * Response with `raw`). Throws ApiError for every failure, with a message fit to show as is.
 */
export async function api(path, { method = "GET", query, json, body, headers = {}, signal, raw = false } = {}) {
  const sent = { ...headers };
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  // Sent with every call: a server started with --require-key wants it for translation too.
  const key = getKey();
  if (key) sent.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(url(path, query), { method, headers: sent, body, signal, cache: "no-store" });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", `Could not reach the Glossa server (${err && err.message ? err.message : err}). Is it running?`);
  }
  if (!response.ok) throw await errorFrom(response);
  if (raw) return response;
  const type = response.headers.get("content-type") || "";
  if (!type.includes("json")) return response.text();
  try {
    return await response.json();
  } catch {
    throw new ApiError(response.status, "bad_answer", `The server's answer to ${method} ${path} was not valid JSON.`);
  }
}

async function errorFrom(response) {
  let code = `http_${response.status}`;
  let message = `The server answered ${response.status} ${response.statusText || ""}`.trim();
  let text = "";
  try {
    text = await response.text();
  } catch {
    /* the body is lost; the status line has to do */
  }
  try {
    const data = JSON.parse(text);
    if (data && data.error && data.error.message) {
      code = data.error.code || code;
      message = data.error.message;
    } else if (data && typeof data.detail === "string") {
      message = data.detail;
    }
  } catch {
    // Not JSON: a proxy's error page, say. Show a short plain-text body, never raw HTML.
    const plain = text.trim();
    if (plain && plain.length < 300 && !plain.startsWith("<")) message += `: ${plain}`;
  }
  if (response.status === 401 || response.status === 403) {
    message += " — set the API key (button at the top right).";
  }
  if (response.status === 503 && response.headers.get("Retry-After")) {
    message += ` Try again in ${response.headers.get("Retry-After")} s.`;
  }
  return new ApiError(response.status, code, message);
}

/** Every concept (all pages of GET /v1/glossary) matching `query`. */
export async function allConcepts(query = {}) {
  const items = [];
  for (let offset = 0; ; ) {
    const page = await api("v1/glossary", { query: { ...query, offset, limit: 500 } });
    items.push(...page.items);
    offset += page.items.length;
    if (!page.items.length || offset >= page.total) return items;
  }
}

export const LANGUAGE_NAMES = { en: "English", ko: "Korean", ru: "Russian" };

export function languageName(code) {
  return LANGUAGE_NAMES[code] || code;
}

/** Hand `text` to the browser as a file download. */
export function download(name, content, type = "text/plain;charset=utf-8") {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** Copy to the clipboard; falls back to a hidden textarea where the async API is unavailable
 * (pages served over plain http to another host are not a secure context). */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* permission refused: try the old way */
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("the browser refused to copy; select the translation and copy it by hand");
}
