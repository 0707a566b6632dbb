// Pure functions that turn a /v1/translate result into marked-up ranges: no DOM, so a test can
// run them on any input. All ranges returned here are JavaScript (UTF-16) string indices.

/**
 * The server counts in code points (Python), JavaScript in UTF-16 units: they differ after any
 * character outside the Basic Multilingual Plane (emoji, rare Hanja). Returns a converter.
 */
export function codePointIndexer(text) {
  if (!/[\uD800-\uDBFF]/.test(text)) return (i) => clamp(i, 0, text.length);
  const units = [];
  let u = 0;
  for (const ch of text) {
    units.push(u);
    u += ch.length;
  }
  units.push(u);
  return (i) => units[clamp(i, 0, units.length - 1)];
}

function clamp(i, lo, hi) {
  return Math.min(Math.max(Number.isFinite(i) ? i : lo, lo), hi);
}

/** Sentence pairs in UTF-16 indices, sorted by source start, overlaps and empties dropped. */
export function sentencePairs(source, translation, sentences) {
  const src = codePointIndexer(source);
  const tgt = codePointIndexer(translation);
  const pairs = (sentences || [])
    .map((s) => ({ s: [src(s.source_start), src(s.source_end)], t: [tgt(s.target_start), tgt(s.target_end)] }))
    .filter((p) => p.s[1] > p.s[0]);
  pairs.sort((a, b) => a.s[0] - b.s[0]);
  const kept = [];
  let srcEnd = -1;
  for (const p of pairs) {
    if (p.s[0] < srcEnd) continue;
    kept.push(p);
    srcEnd = p.s[1];
  }
  return kept;
}

/** Index of the pair whose source range holds `pos`, or -1 (binary search: long articles). */
export function sentenceAt(pairs, pos) {
  let lo = 0;
  let hi = pairs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = pairs[mid].s;
    if (pos < start) hi = mid - 1;
    else if (pos >= end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function overlaps(taken, start, end) {
  return taken.some(([a, b]) => start < b && a < end);
}

function occurrences(haystack, needle, from, to) {
  const found = [];
  if (!needle) return found;
  for (let i = haystack.indexOf(needle, from); i !== -1 && i + needle.length <= to; i = haystack.indexOf(needle, i + 1)) {
    found.push(i);
  }
  return found;
}

/**
 * Where each term's rendering sits in the translation. The server reports source spans and the
 * rendering it used (in the form the sentence needed), not target spans, so the rendering is
 * looked for in the aligned target sentence first, then anywhere; a span is never given to two
 * terms. Missed terms are not looked for: their rendering is, by definition, not there.
 * Returns one {start, end} or null per term, in the order given.
 */
export function locateTargetTerms(translation, terms, pairs, sourceIndex) {
  const lower = translation.toLowerCase();
  const sameLength = lower.length === translation.length;
  const taken = [];
  return terms.map((term) => {
    // Unexpected terms (named by the translation, not the source) have no source term to pair with.
    if (term.status === "missed" || term.status === "unexpected" || !term.rendering) return null;
    const needle = term.rendering;
    const at = sentenceAt(pairs, sourceIndex(term.source.start));
    const windows = at >= 0 ? [pairs[at].t, [0, translation.length]] : [[0, translation.length]];
    for (const [from, to] of windows) {
      for (const [hay, want] of sameLength ? [[translation, needle], [lower, needle.toLowerCase()]] : [[translation, needle]]) {
        const start = occurrences(hay, want, from, to).find((i) => !overlaps(taken, i, i + want.length));
        if (start !== undefined) {
          taken.push([start, start + want.length]);
          return { start, end: start + want.length };
        }
      }
    }
    return null;
  });
}

/**
 * Cut [0, length) into blocks (each sentence, and the gaps between them) and each block into
 * parts, plain or marked. `marks` are {start, end, id}; overlapping marks keep the earlier one,
 * and a mark crossing a sentence boundary is split so that every part sits in one block.
 */
export function segment(length, ranges, marks) {
  const blocks = [];
  let pos = 0;
  // Target sentences need not come in source order; an overlapping one is left unmarked.
  const order = ranges.map(([start, end], index) => ({ start: clamp(start, 0, length), end: clamp(end, 0, length), index }))
    .sort((a, b) => a.start - b.start);
  for (const { start, end, index } of order) {
    if (end <= start || start < pos) continue;
    if (start > pos) blocks.push({ sentence: -1, start: pos, end: start });
    blocks.push({ sentence: index, start, end });
    pos = end;
  }
  if (pos < length) blocks.push({ sentence: -1, start: pos, end: length });

  const sorted = marks.filter((m) => m && m.end > m.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  let markEnd = 0;
  for (const m of sorted) {
    if (m.start < markEnd) continue;
    kept.push({ ...m, start: clamp(m.start, 0, length), end: clamp(m.end, 0, length) });
    markEnd = m.end;
  }

  let next = 0;
  for (const block of blocks) {
    block.parts = [];
    let p = block.start;
    while (p < block.end) {
      while (next < kept.length && kept[next].end <= p) next += 1;
      const mark = kept[next];
      if (mark && mark.start < block.end) {
        if (mark.start > p) block.parts.push({ start: p, end: mark.start, id: null });
        const end = Math.min(block.end, mark.end);
        block.parts.push({ start: Math.max(p, mark.start), end, id: mark.id });
        p = end;
      } else {
        block.parts.push({ start: p, end: block.end, id: null });
        p = block.end;
      }
    }
  }
  return blocks;
}
