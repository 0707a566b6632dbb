// The Translate panel: article in, translation out side by side, sentences aligned on hover,
// glossary terms marked in both texts, misses flagged.

import { api, copyText, download, languageName } from "./api.js";
import { conceptIndex, conceptKey } from "./concepts.js";
import { el, hideMessage, placeTip, showMessage } from "./dom.js";
import { codePointIndexer, locateTargetTerms, segment, sentencePairs } from "./spans.js";

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const FORMAT_BY_EXTENSION = { txt: "text", text: "text", md: "markdown", markdown: "markdown", html: "html", htm: "html" };
const EXTENSION = { text: "txt", markdown: "md", html: "html" };
const MEDIA = { text: "text/plain", markdown: "text/markdown", html: "text/html" };

const ui = {};
// What the panes show now: terms (with their mark elements) and sentence elements per side.
let shown = null;
let running = null; // AbortController of the request in flight
let fileBase = "";

export function initTranslate() {
  for (const id of ["translate-form", "source-lang", "target-lang", "format", "use-glossary", "file-input",
    "translate-button", "cancel-button", "drop-zone", "source-text", "char-count", "file-name",
    "translate-message", "translate-progress", "result", "detected", "paragraph-languages", "term-summary", "copy-button",
    "download-button", "warnings", "missed", "source-view", "target-view", "terms-body", "models-used", "tip"]) {
    ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id);
  }
  ui.translateForm.addEventListener("submit", (event) => {
    event.preventDefault();
    translate();
  });
  ui.cancelButton.addEventListener("click", () => running && running.abort());
  ui.sourceText.addEventListener("input", updateCount);
  ui.sourceText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      translate();
    }
  });
  ui.fileInput.addEventListener("change", () => {
    if (ui.fileInput.files.length) loadFile(ui.fileInput.files[0]);
    ui.fileInput.value = "";
  });
  wireDrop();
  ui.copyButton.addEventListener("click", copyTranslation);
  ui.downloadButton.addEventListener("click", downloadTranslation);
  for (const view of [ui.sourceView, ui.targetView]) wireView(view);
  updateCount();
}

// -- input ------------------------------------------------------------------------------------

function updateCount() {
  const n = ui.sourceText.value.length;
  ui.charCount.textContent = `${n.toLocaleString("en")} character${n === 1 ? "" : "s"}`;
}

function wireDrop() {
  const zone = ui.dropZone;
  zone.addEventListener("dragover", (event) => {
    if (![...event.dataTransfer.types].includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dragging");
    if (!event.dataTransfer.files.length) return; // dropped text: the textarea takes it as usual
    event.preventDefault();
    loadFile(event.dataTransfer.files[0]);
  });
}

async function loadFile(file) {
  hideMessage(ui.translateMessage);
  const match = /\.([^.]+)$/.exec(file.name);
  const extension = match ? match[1].toLowerCase() : "";
  const format = FORMAT_BY_EXTENSION[extension];
  if (!format) {
    showMessage(ui.translateMessage, `${file.name}: not a text, Markdown or HTML file (.txt, .md, .html).`);
    return;
  }
  if (file.size > MAX_FILE_BYTES) {
    showMessage(ui.translateMessage, `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; articles up to 5 MB can be opened here.`);
    return;
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    showMessage(ui.translateMessage, `${file.name} is not UTF-8 text; save it as UTF-8 and open it again.`);
    return;
  }
  ui.sourceText.value = text;
  ui.format.value = format;
  fileBase = file.name.replace(/\.[^.]+$/, "");
  ui.fileName.textContent = ` · ${file.name}`;
  ui.result.hidden = true;
  updateCount();
}

// -- translating --------------------------------------------------------------------------------

async function translate() {
  const text = ui.sourceText.value;
  hideMessage(ui.translateMessage);
  if (!text.trim()) {
    showMessage(ui.translateMessage, "Paste an article or open a file first.");
    ui.sourceText.focus();
    return;
  }
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  busy(true, text.length);
  const body = {
    text,
    source: ui.sourceLang.value,
    target: ui.targetLang.value,
    format: ui.format.value,
    glossary: ui.useGlossary.checked,
  };
  try {
    const [answer, concepts] = await Promise.all([
      api("v1/translate", { method: "POST", json: body, signal: controller.signal }),
      body.glossary ? conceptIndex() : Promise.resolve(new Map()),
    ]);
    if (controller !== running) return;
    if (!answer || !Array.isArray(answer.results) || !answer.results.length) {
      throw new Error("the server's answer held no result");
    }
    render(text, answer.results[0], body, concepts);
  } catch (err) {
    if (controller !== running) return;
    ui.result.hidden = true;
    if (err && err.name === "AbortError") showMessage(ui.translateMessage, "Translation cancelled.", "info");
    else showMessage(ui.translateMessage, `Not translated: ${err && err.message ? err.message : err}`);
  } finally {
    if (controller === running) {
      running = null;
      busy(false);
    }
  }
}

function busy(on, chars = 0) {
  ui.translateButton.disabled = on;
  ui.cancelButton.hidden = !on;
  ui.translateProgress.hidden = !on;
  ui.translateProgress.textContent = on ? `Translating ${chars.toLocaleString("en")} characters…` : "";
  ui.result.setAttribute("aria-busy", on ? "true" : "false");
}

function render(text, result, request, concepts) {
  const started = performance.now();
  const translation = result.translation;
  const pairs = sentencePairs(text, translation, result.sentences);
  const sourceIndex = codePointIndexer(text);
  const targets = locateTargetTerms(translation, result.terms, pairs, sourceIndex);
  const terms = result.terms.map((term, id) => ({
    ...term,
    id,
    concept_info: concepts.get(conceptKey(term.concept, term.category)),
    target_span: targets[id],
    sourceMarks: [],
    targetMarks: [],
  }));
  const sourceMarks = terms.map((t) => ({ start: sourceIndex(t.source.start), end: sourceIndex(t.source.end), id: t.id }));
  const targetMarks = terms.filter((t) => t.target_span).map((t) => ({ ...t.target_span, id: t.id }));

  shown = { terms, source: [], target: [], active: -1, pairs, translation, result, request };
  fill(ui.sourceView, text, segment(text.length, pairs.map((p) => p.s), sourceMarks), "source", result.source, request.format);
  fill(ui.targetView, translation, segment(translation.length, pairs.map((p) => p.t), targetMarks), "target", result.target, request.format);

  const detected = result.detected
    ? [el("strong", {}, `Detected ${languageName(result.detected.language)}`),
       ` (${result.detected.language}), confidence ${(100 * result.detected.confidence).toFixed(1)}%`]
    : [el("strong", {}, `${languageName(result.source)}`), " (chosen)"];
  ui.detected.replaceChildren(...detected, ` → ${languageName(result.target)}`);
  ui.detected.dataset.language = result.detected ? result.detected.language : result.source;
  // Mixed articles (an English headline over Korean copy): each paragraph's language, by number.
  const paragraphs = (result.detected && result.detected.paragraphs) || [];
  const mixed = new Set(paragraphs.map((p) => p.language)).size > 1;
  ui.paragraphLanguages.hidden = !mixed;
  ui.paragraphLanguages.replaceChildren(...(mixed
    ? [el("strong", {}, "Paragraph languages: "), paragraphs.map((p, i) => `${i + 1} ${p.language}`).join(", ")]
    : []));

  const missed = terms.filter((t) => t.status === "missed");
  // "unexpected": a concept the translation names and the source does not (reported, not applied).
  const unexpected = terms.filter((t) => t.status === "unexpected");
  if (!request.glossary) ui.termSummary.replaceChildren("Glossary not applied.");
  else {
    const applied = terms.length - missed.length - unexpected.length;
    ui.termSummary.replaceChildren(
      `${terms.length} glossary term${terms.length === 1 ? "" : "s"}: ${applied} applied, `,
      el("span", { class: missed.length ? "missed-count" : "" }, `${missed.length} missed`),
      ...(unexpected.length ? [el("span", { class: "missed-count" }, `, ${unexpected.length} unexpected`)] : []));
  }
  ui.warnings.replaceChildren(...warningItems(result.warnings));
  ui.missed.hidden = !missed.length;
  ui.missed.replaceChildren(
    el("strong", {}, "Missed terms: "), "the translation lacks the glossary rendering of ",
    ...missed.map((t) => el("button", {
      type: "button", class: "secondary", onclick: () => focusTerm(t),
    }, `${t.source.text} → ${t.rendering}`)));
  ui.termsBody.replaceChildren(...terms.map((t) => el("tr", { class: t.status === "missed" ? "missed" : "" },
    el("td", {}, t.concept), el("td", {}, t.category), el("td", { lang: result.source }, t.source.text),
    el("td", { lang: result.target }, t.rendering), el("td", {}, t.status + (t.strategy ? ` (${t.strategy})` : "")))));
  ui.modelsUsed.textContent = result.models.length ? `Models: ${result.models.join("; ")}` : "";
  ui.result.hidden = false;
  // Exposed for the browser tests' report on long articles (how long building the panes took).
  ui.result.dataset.renderMs = String(Math.round(performance.now() - started));
}

// Every warning is shown, but a long run of them (one per missed term) folds after the first two.
function warningItems(warnings) {
  const items = warnings.map((w) => el("li", {}, w));
  if (items.length <= 3) return items;
  const rest = items.slice(2);
  return [...items.slice(0, 2), el("li", { class: "more" },
    el("details", {}, el("summary", {}, `${rest.length} more warnings`), el("ul", {}, ...rest)))];
}

function fill(view, text, blocks, side, lang, format) {
  const elements = shown[side];
  const fragment = document.createDocumentFragment();
  for (const block of blocks) {
    let container = fragment;
    if (block.sentence >= 0) {
      container = el("span", { class: "sent", dataset: { s: block.sentence } });
      elements[block.sentence] = container;
      fragment.append(container);
    }
    for (const part of block.parts) {
      const piece = text.slice(part.start, part.end);
      if (part.id === null) {
        container.append(piece);
        continue;
      }
      const term = shown.terms[part.id];
      const state = term.status === "missed" ? "missed" : side === "source" && !term.target_span ? "applied unlocated" : "applied";
      // Only the source side takes Tab stops: one per term is plenty for keyboard users.
      const mark = el("mark", { class: `term ${state}`, dataset: { t: term.id }, tabindex: side === "source" ? 0 : -1 }, piece);
      term[side === "source" ? "sourceMarks" : "targetMarks"].push(mark);
      container.append(mark);
    }
  }
  view.lang = lang;
  view.classList.toggle("markup", format === "html");
  view.replaceChildren(fragment);
}

// -- hover, focus, keys -----------------------------------------------------------------------

function wireView(view) {
  const side = view === ui.sourceView ? "source" : "target";
  view.addEventListener("mouseover", (event) => {
    if (!shown) return;
    const mark = event.target.closest("mark.term");
    if (mark) showTerm(mark);
    const sentence = event.target.closest(".sent");
    if (sentence) activate(Number(sentence.dataset.s), side, false);
  });
  view.addEventListener("mouseleave", () => {
    activate(-1);
    hideTip();
  });
  view.addEventListener("focusin", (event) => {
    const mark = event.target.closest && event.target.closest("mark.term");
    if (!mark || !shown) return;
    showTerm(mark);
    const sentence = mark.closest(".sent");
    if (sentence) activate(Number(sentence.dataset.s), side, true);
  });
  view.addEventListener("focusout", hideTip);
  view.addEventListener("keydown", (event) => {
    if (!shown) return;
    if (event.key === "Escape") hideTip();
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    if (event.target !== view) return; // arrows inside a term are the browser's business
    event.preventDefault();
    const count = shown.pairs.length;
    if (!count) return;
    const step = event.key === "ArrowDown" ? 1 : -1;
    activate(shown.active < 0 ? 0 : (shown.active + step + count) % count, side, true);
  });
}

/** Mark sentence `index` (and its counterpart) active; -1 clears. */
function activate(index, side = "source", scroll = false) {
  if (!shown || index === shown.active) return;
  for (const s of ["source", "target"]) {
    const old = shown[s][shown.active];
    if (old) old.classList.remove("active");
  }
  shown.active = index;
  if (index < 0) return;
  for (const s of ["source", "target"]) {
    const node = shown[s][index];
    if (!node) continue;
    node.classList.add("active");
    // Long articles: bring the counterpart into view in its own pane (never scroll the page).
    if (scroll || s !== side) scrollWithin(s === "source" ? ui.sourceView : ui.targetView, node);
  }
}

function scrollWithin(view, node) {
  if (view.scrollHeight <= view.clientHeight) return;
  const v = view.getBoundingClientRect();
  const n = node.getBoundingClientRect();
  if (n.top < v.top) view.scrollTop -= v.top - n.top + 8;
  else if (n.bottom > v.bottom) view.scrollTop += n.bottom - v.bottom + 8;
}

let paired = [];

function showTerm(mark) {
  const term = shown.terms[Number(mark.dataset.t)];
  for (const m of paired) m.classList.remove("pair");
  paired = [...term.sourceMarks, ...term.targetMarks];
  for (const m of paired) m.classList.add("pair");
  const info = term.concept_info;
  const target = languageName(shown.result.target);
  const lines = [
    el("div", { class: "tip-title" }, `${term.concept}`, el("span", {}, ` · ${term.category}`)),
    el("p", {}, `Source: “${term.source.text}”`),
    term.status === "missed"
      ? el("p", { class: "tip-missed" }, `Missed: the ${target} text lacks “${term.rendering}”.`)
      : el("p", {}, `${target}: “${term.rendering}”, applied${term.strategy ? ` (${term.strategy})` : ""}` +
          (term.target_span ? "" : "; not found verbatim in the translation")),
  ];
  if (info && info.note) lines.push(el("p", {}, `Note: ${info.note}`));
  ui.tip.replaceChildren(...lines);
  mark.setAttribute("aria-describedby", "tip");
  placeTip(ui.tip, mark);
}

function hideTip() {
  ui.tip.hidden = true;
  for (const m of paired) m.classList.remove("pair");
  paired = [];
}

function focusTerm(term) {
  const mark = term.sourceMarks[0];
  if (!mark) return;
  scrollWithin(ui.sourceView, mark);
  mark.scrollIntoView({ block: "nearest" });
  mark.focus();
}

// -- copy, download -----------------------------------------------------------------------------

async function copyTranslation() {
  if (!shown) return;
  try {
    await copyText(shown.translation);
    flash(ui.copyButton, "Copied");
  } catch (err) {
    showMessage(ui.translateMessage, `Could not copy: ${err.message}`);
  }
}

function downloadTranslation() {
  if (!shown) return;
  const format = shown.request.format;
  const name = `${fileBase || "translation"}.${shown.result.target}.${EXTENSION[format]}`;
  download(name, shown.translation, `${MEDIA[format]};charset=utf-8`);
}

function flash(button, text) {
  const original = button.dataset.label || button.textContent;
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}
