// The Glossary panel: search and filter, add/edit/retire/restore concepts, fuzzy or approved per
// language, import/export, and `glossa glossary check` problems shown next to the concepts.

import { api, download, getKey, LANGUAGE_NAMES } from "./api.js";
import { forgetConcepts } from "./concepts.js";
import { $, $$, debounce, el, hideMessage, showMessage } from "./dom.js";

const PAGE = 100;
const LANGS = Object.keys(LANGUAGE_NAMES);
const IMPORT_FORMAT = { po: "po", pot: "po", csv: "csv", tsv: "tsv", tbx: "tbx", xml: "tbx" };

const ui = {};
let offset = 0;
let total = 0;
let items = [];
let problems = new Map(); // msgid -> [issue]
let unattached = []; // issues the check gave no msgid (e.g. a spelling two concepts claim)
let categories = ["person", "place", "organization", "title", "document", "event", "term"];
let editing = null; // the concept open in the editor (null: a new one)
let loaded = false;
let openKeyDialog = () => {};

export function initGlossary({ onKeyDialog }) {
  openKeyDialog = onKeyDialog;
  for (const id of ["filter-form", "filter-q", "filter-category", "filter-lang", "filter-status", "add-concept",
    "glossary-message", "check-summary", "check-title", "check-list", "glossary-count", "glossary-body",
    "prev-page", "next-page", "editor", "editor-form", "editor-title", "ed-term", "ed-category", "ed-note",
    "editor-problems", "editor-message", "ed-retire", "ed-restore", "ed-key", "ed-cancel", "ed-save",
    "import-form", "import-file", "import-format", "import-lang", "import-source", "import-category",
    "import-overwrite", "import-preview", "import-result", "export-form", "export-format", "export-lang",
    "export-source", "export-result"]) {
    ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id);
  }
  const reload = () => {
    offset = 0;
    loadList();
  };
  ui.filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    reload();
  });
  ui.filterQ.addEventListener("input", debounce(reload, 250));
  for (const select of [ui.filterCategory, ui.filterLang, ui.filterStatus]) select.addEventListener("change", reload);
  ui.prevPage.addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE);
    loadList();
  });
  ui.nextPage.addEventListener("click", () => {
    offset += PAGE;
    loadList();
  });
  ui.addConcept.addEventListener("click", () => openEditor(null));
  ui.editorForm.addEventListener("submit", (event) => {
    event.preventDefault(); // stay open until the server has accepted the change
    save();
  });
  ui.edCancel.addEventListener("click", () => ui.editor.close());
  ui.edKey.addEventListener("click", () => openKeyDialog());
  ui.edRetire.addEventListener("click", retire);
  ui.edRestore.addEventListener("click", restore);
  ui.importFile.addEventListener("change", () => {
    const file = ui.importFile.files[0];
    const match = file && /\.([^.]+)$/.exec(file.name);
    if (match && IMPORT_FORMAT[match[1].toLowerCase()]) ui.importFormat.value = IMPORT_FORMAT[match[1].toLowerCase()];
  });
  ui.importPreview.addEventListener("click", () => importFile(true));
  ui.importForm.addEventListener("submit", (event) => {
    event.preventDefault();
    importFile(false);
  });
  ui.exportForm.addEventListener("submit", (event) => {
    event.preventDefault();
    exportFile();
  });
  fillCategories();
}

/** Load on first view; later views keep what the user filtered. */
export function showGlossary() {
  if (loaded) return;
  loaded = true;
  loadCheck().then(loadList);
}

// -- list ---------------------------------------------------------------------------------------

async function loadList() {
  const query = {
    q: ui.filterQ.value.trim(),
    category: ui.filterCategory.value,
    lang: ui.filterLang.value,
    status: ui.filterStatus.value,
    offset,
    limit: PAGE,
  };
  try {
    const page = await api("v1/glossary", { query });
    items = page.items;
    total = page.total;
    renderList();
  } catch (err) {
    showMessage(ui.glossaryMessage, `Could not load the glossary: ${err.message}`);
  }
}

function renderList() {
  ui.glossaryBody.replaceChildren(...items.map(row));
  const shownTo = Math.min(total, offset + items.length);
  ui.glossaryCount.textContent = total
    ? `${total} concept${total === 1 ? "" : "s"}${total > items.length ? `, showing ${offset + 1}–${shownTo}` : ""}`
    : "No concept matches.";
  ui.prevPage.hidden = offset === 0;
  ui.nextPage.hidden = shownTo >= total;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The check's issues about `term`: those it filed under the concept, and those whose message
 * names it as a whole word (the check lists both concepts that claim one spelling). */
function problemsFor(term) {
  const named = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(term)}($|[^\\p{L}\\p{N}])`, "u");
  return [...(problems.get(term) || []), ...unattached.filter((i) => named.test(i.message))];
}

function row(concept) {
  const issues = problemsFor(concept.term);
  return el("tr", { dataset: { term: concept.term, category: concept.category } },
    el("td", { "data-label": "Concept" },
      el("button", { type: "button", class: "link", lang: "en", onclick: () => openEditor(concept),
        "aria-label": `Edit ${concept.term} (${concept.category})` }, concept.term),
      concept.retired ? el("span", { class: "badge retired" }, "retired") : null),
    el("td", { "data-label": "Category" }, concept.category),
    ...LANGS.map((lang) => renderingCell(lang, concept.renderings[lang])),
    el("td", { "data-label": "Problems", class: "problem-cell" }, issues.length ? problemList(issues) : null));
}

function renderingCell(lang, rendering) {
  const cell = el("td", { "data-label": LANGUAGE_NAMES[lang], lang, class: `r-${lang}` });
  if (!rendering) return cell;
  cell.append(el("span", { class: "rendering" }, rendering.text));
  if (rendering.fuzzy) cell.append(el("span", { class: "badge fuzzy", lang: "en", title: "Proposed: not enforced" }, "fuzzy"));
  if (rendering.variants.length) cell.append(el("div", { class: "variants" }, `also: ${rendering.variants.join(", ")}`));
  return cell;
}

function problemList(issues) {
  return el("ul", { class: "problems" },
    ...issues.map((i) => el("li", { class: i.severity }, `${i.severity}: ${i.message}${i.file ? ` (${i.file})` : ""}`)));
}

// -- validation (`glossa glossary check`) ----------------------------------------------------------

async function loadCheck() {
  try {
    const report = await api("v1/glossary/check");
    if (Array.isArray(report.categories) && report.categories.length) {
      categories = report.categories;
      fillCategories();
    }
    problems = new Map();
    unattached = report.issues.filter((i) => !i.msgid);
    for (const issue of report.issues) {
      if (!issue.msgid) continue;
      if (!problems.has(issue.msgid)) problems.set(issue.msgid, []);
      problems.get(issue.msgid).push(issue);
    }
    const title = report.errors
      ? `Glossary check: ${report.errors} error${report.errors === 1 ? "" : "s"}, ${report.warnings} warning${report.warnings === 1 ? "" : "s"}`
      : report.warnings
        ? `Glossary check: no errors, ${report.warnings} warning${report.warnings === 1 ? "" : "s"}`
        : "Glossary check: no problems";
    ui.checkTitle.textContent = title;
    ui.checkTitle.className = report.errors ? "errors" : report.warnings ? "warnings" : "clean";
    ui.checkList.replaceChildren(...report.issues.map((i) => el("li", { class: i.severity },
      `${i.severity}: ${i.file ? `${i.file}: ` : ""}${i.msgid ? `${i.msgid}: ` : ""}${i.message}`)));
    if (report.errors) ui.checkSummary.open = true;
  } catch (err) {
    ui.checkTitle.textContent = `Glossary check unavailable: ${err.message}`;
    ui.checkTitle.className = "errors";
  }
}

function fillCategories() {
  const options = (withAny) => [
    ...(withAny ? [el("option", { value: "" }, "Any")] : []),
    ...categories.map((c) => el("option", { value: c }, c)),
  ];
  const keep = ui.filterCategory.value;
  ui.filterCategory.replaceChildren(...options(true));
  ui.filterCategory.value = keep;
  ui.edCategory.replaceChildren(...options(false));
  ui.importCategory.replaceChildren(...options(false));
  ui.importCategory.value = categories.includes("term") ? "term" : categories[0];
}

async function refreshAfterWrite(message) {
  forgetConcepts();
  showMessage(ui.glossaryMessage, message, "ok");
  await loadCheck();
  await loadList();
}

// -- editor ---------------------------------------------------------------------------------------

function fieldset(lang) {
  return $(`fieldset[data-lang="${lang}"]`, ui.editorForm);
}

function openEditor(concept) {
  editing = concept;
  hideMessage(ui.editorMessage);
  const retired = Boolean(concept && concept.retired);
  ui.editorTitle.textContent = !concept ? "Add concept" : retired ? `Retired concept: ${concept.term}` : `Edit concept: ${concept.term}`;
  ui.edTerm.value = concept ? concept.term : "";
  ui.edTerm.readOnly = Boolean(concept);
  if (concept && !categories.includes(concept.category)) {
    ui.edCategory.append(el("option", { value: concept.category }, concept.category));
  }
  ui.edCategory.value = concept ? concept.category : "person";
  ui.edCategory.disabled = Boolean(concept); // the category is part of the concept's identity
  ui.edNote.value = concept ? concept.note : "";
  for (const lang of LANGS) {
    const box = fieldset(lang);
    const r = concept && concept.renderings[lang];
    $(".ed-text", box).value = r ? r.text : "";
    $(".ed-variants", box).value = r ? r.variants.join("\n") : "";
    $(".ed-fuzzy", box).checked = Boolean(r && r.fuzzy);
    const gender = $(".ed-gender", box);
    if (gender) gender.value = (r && r.gender) || "";
    const indeclinable = $(".ed-indeclinable", box);
    if (indeclinable) indeclinable.checked = Boolean(r && r.indeclinable);
  }
  for (const input of $$("input, textarea, select", ui.editorForm)) {
    if (input.id !== "ed-term" && input.id !== "ed-category") input.disabled = retired;
  }
  const issues = concept ? problemsFor(concept.term) : [];
  ui.editorProblems.replaceChildren(...issues.map((i) => el("li", { class: i.severity }, `${i.severity}: ${i.message}`)));
  ui.edRetire.hidden = !concept || retired;
  ui.edRestore.hidden = !retired;
  ui.edSave.hidden = retired;
  ui.editor.showModal();
  (concept ? (retired ? ui.edRestore : ui.edNote) : ui.edTerm).focus();
}

function renderingsFromForm() {
  const out = {};
  for (const lang of LANGS) {
    const box = fieldset(lang);
    const before = editing && editing.renderings[lang];
    const text = $(".ed-text", box).value.trim();
    if (!text) {
      if (before) out[lang] = null; // cleared: remove that language's rendering
      continue;
    }
    const gender = $(".ed-gender", box);
    const indeclinable = $(".ed-indeclinable", box);
    out[lang] = {
      text,
      variants: $(".ed-variants", box).value.split("\n").map((v) => v.trim()).filter(Boolean),
      fuzzy: $(".ed-fuzzy", box).checked,
      gender: gender ? gender.value || null : (before && before.gender) || null,
      indeclinable: indeclinable ? indeclinable.checked : Boolean(before && before.indeclinable),
      // Not editable here; kept as they were so that saving never loses them.
      forms: (before && before.forms) || {},
      comment: (before && before.comment) || "",
    };
  }
  return out;
}

function conceptPath(concept) {
  return `v1/glossary/${encodeURIComponent(concept.term)}`;
}

async function save() {
  hideMessage(ui.editorMessage);
  const term = ui.edTerm.value.trim();
  if (!term) {
    showMessage(ui.editorMessage, "The concept needs a term (its canonical English name).");
    ui.edTerm.focus();
    return;
  }
  if (!getKey()) {
    showMessage(ui.editorMessage, "Changing the glossary needs the API key: use “API key…” below, then save again.");
    ui.edKey.focus();
    return;
  }
  const renderings = renderingsFromForm();
  ui.edSave.disabled = true;
  try {
    let saved;
    if (editing) {
      saved = await api(conceptPath(editing), {
        method: "PUT", query: { category: editing.category }, json: { note: ui.edNote.value.trim(), renderings },
      });
    } else {
      const fresh = Object.fromEntries(Object.entries(renderings).filter(([, r]) => r));
      saved = await api("v1/glossary", {
        method: "POST", json: { term, category: ui.edCategory.value, note: ui.edNote.value.trim(), renderings: fresh },
      });
    }
    ui.editor.close();
    await refreshAfterWrite(`Saved “${saved.term}” (${saved.category}). The next translation uses it.`);
  } catch (err) {
    showMessage(ui.editorMessage, `Not saved: ${err.message}`);
  } finally {
    ui.edSave.disabled = false;
  }
}

async function retire() {
  if (!editing) return;
  if (!getKey()) {
    showMessage(ui.editorMessage, "Retiring a concept needs the API key: use “API key…” below.");
    return;
  }
  if (!window.confirm(`Retire “${editing.term}”? It stops being enforced and stays in the files as obsolete.`)) return;
  try {
    await api(conceptPath(editing), { method: "DELETE", query: { category: editing.category } });
    ui.editor.close();
    await refreshAfterWrite(`Retired “${editing.term}”.`);
  } catch (err) {
    showMessage(ui.editorMessage, `Not retired: ${err.message}`);
  }
}

async function restore() {
  if (!editing) return;
  try {
    // Adding a retired concept again brings it back with what it had.
    await api("v1/glossary", {
      method: "POST",
      json: { term: editing.term, category: editing.category, note: editing.note, renderings: editing.renderings },
    });
    ui.editor.close();
    await refreshAfterWrite(`Restored “${editing.term}”.`);
  } catch (err) {
    showMessage(ui.editorMessage, `Not restored: ${err.message}`);
  }
}

// -- import / export ------------------------------------------------------------------------------

async function importFile(dryRun) {
  hideMessage(ui.importResult);
  const file = ui.importFile.files[0];
  if (!file) {
    showMessage(ui.importResult, "Choose a file to import first.");
    return;
  }
  const query = {
    format: ui.importFormat.value,
    lang: ui.importLang.value,
    source: ui.importSource.value,
    category: ui.importCategory.value,
    overwrite: ui.importOverwrite.checked,
    dry_run: dryRun,
  };
  try {
    const report = await api("v1/glossary/import", {
      method: "POST", query, body: await file.arrayBuffer(), headers: { "Content-Type": "application/octet-stream" },
    });
    const list = (names) => (names.length ? `: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ", …" : ""}` : "");
    const text = `${dryRun ? "Dry run, nothing written. Would add" : "Imported. Added"} ${report.added.length}${list(report.added)}; ` +
      `${dryRun ? "would update" : "updated"} ${report.updated.length}${list(report.updated)}; ${report.unchanged.length} unchanged.`;
    showMessage(ui.importResult, text, "ok");
    if (!dryRun) {
      forgetConcepts();
      await loadCheck();
      await loadList();
    }
  } catch (err) {
    showMessage(ui.importResult, `Not imported: ${err.message}`);
  }
}

async function exportFile() {
  hideMessage(ui.exportResult);
  const format = ui.exportFormat.value;
  const lang = ui.exportLang.value;
  try {
    const response = await api("v1/glossary/export", {
      query: { format, lang, source: ui.exportSource.value }, raw: true,
    });
    const disposition = response.headers.get("content-disposition") || "";
    const match = /filename="([^"]+)"/.exec(disposition);
    const name = match ? match[1] : `glossary${lang ? `-${lang}` : ""}.${format}`;
    download(name, await response.blob());
    showMessage(ui.exportResult, `Exported ${name}.`, "ok");
  } catch (err) {
    showMessage(ui.exportResult, `Not exported: ${err.message}`);
  }
}
