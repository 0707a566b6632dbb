// The glossary's concepts by (category, term), for the notes shown on term hover. Loaded once,
// reloaded after the page changes the glossary; edits made elsewhere show on the next page load.

import { allConcepts } from "./api.js";

let pending = null;

export const conceptKey = (term, category) => `${category}\u0000${term}`;

/** A Map conceptKey -> concept. Never rejects: without it, tooltips just lack the note. */
export function conceptIndex() {
  if (!pending) {
    pending = allConcepts({ status: "all" })
      .then((items) => new Map(items.map((c) => [conceptKey(c.term, c.category), c])))
      .catch(() => {
        pending = null;
        return new Map();
      });
  }
  return pending;
}

export function forgetConcepts() {
  pending = null;
}
