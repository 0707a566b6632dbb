// Small DOM helpers shared by the panels.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** el("td", {class: "x", lang: "ko"}, "text", childNode): text children are never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Show `text` in a message box; kind is "error", "ok" or "info". */
export function showMessage(box, text, kind = "error") {
  box.className = `message ${kind}`;
  box.replaceChildren(...(Array.isArray(text) ? text : [text]));
  box.hidden = false;
}

export function hideMessage(box) {
  box.hidden = true;
  box.replaceChildren();
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Place the shared tooltip next to `anchor`, inside the window. */
export function placeTip(tip, anchor) {
  tip.hidden = false;
  const rect = anchor.getBoundingClientRect();
  const { offsetWidth: w, offsetHeight: h } = tip;
  let top = rect.bottom + 6;
  if (top + h > window.innerHeight - 4) top = Math.max(4, rect.top - h - 6);
  const left = Math.min(Math.max(4, rect.left), Math.max(4, window.innerWidth - w - 4));
  tip.style.top = `${top}px`;
  tip.style.left = `${left}px`;
}
