// Entry point: tabs, the API key dialog, the server line, and a banner for anything unexpected
// (so that no failure ever leaves a blank or silently stuck page).

import { api, getKey, setKey } from "./api.js";
import { $, $$, el, showMessage } from "./dom.js";
import { initGlossary, showGlossary } from "./glossary.js";
import { initTranslate } from "./translate.js";

const banner = $("#banner");

function fail(what, err) {
  const text = err && err.message ? err.message : String(err);
  showMessage(banner, `${what}: ${text}. Reload the page; if it happens again, the server log may say more.`);
}

window.addEventListener("error", (event) => fail("The page hit an error", event.error || event.message));
window.addEventListener("unhandledrejection", (event) => fail("The page hit an error", event.reason));

// -- tabs -------------------------------------------------------------------------------------------

const tabs = $$("[role=tab]");

function select(tab, focus = false) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  const name = tab.id.replace("tab-", "");
  if (name === "glossary") showGlossary();
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

for (const tab of tabs) {
  tab.addEventListener("click", () => select(tab));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length], true);
  });
}

function fromHash() {
  const tab = document.getElementById(`tab-${location.hash.slice(1)}`);
  select(tab && tabs.includes(tab) ? tab : tabs[0]);
}

window.addEventListener("hashchange", fromHash);

// -- API key ------------------------------------------------------------------------------------------

const keyDialog = $("#key-dialog");
const keyInput = $("#key-input");
const keyButton = $("#key-button");

function showKeyState() {
  keyButton.textContent = getKey() ? "API key: set" : "API key: not set";
}

function openKeyDialog() {
  keyInput.value = "";
  keyInput.placeholder = getKey() ? "a key is set; type a new one to replace it" : "";
  keyDialog.showModal();
  keyInput.focus();
}

keyButton.addEventListener("click", openKeyDialog);
$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (keyInput.value.trim()) setKey(keyInput.value.trim());
  keyDialog.close();
});
$("#key-forget").addEventListener("click", () => {
  setKey("");
  keyDialog.close();
});
$("#key-cancel").addEventListener("click", () => keyDialog.close());
document.addEventListener("glossa:key", showKeyState);

// -- the server line ----------------------------------------------------------------------------------

async function serverLine() {
  const line = $("#server-status");
  try {
    const { models, problems } = await api("v1/models");
    const parts = [];
    if (!models.length) {
      parts.push("No translation models installed: run `glossa models ensure` on the server.");
    } else {
      parts.push(`${models.length} model${models.length === 1 ? "" : "s"}: ${models.map((m) => m.pair).join(", ")}`);
      if (models.some((m) => m.demo)) {
        parts.push(" ", el("span", { class: "demo", title: "Tiny models trained on a synthetic vocabulary" }, "DEMO models, not real translation"));
      }
    }
    if (problems.length) parts.push(` · ${problems.length} unusable package${problems.length === 1 ? "" : "s"}`);
    line.replaceChildren(...parts);
  } catch (err) {
    line.textContent = `Server: ${err.message}`;
  }
}

initTranslate();
initGlossary({ onKeyDialog: openKeyDialog });
showKeyState();
fromHash();
serverLine();
document.documentElement.dataset.ready = "true";
