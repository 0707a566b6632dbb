"""Enforcing glossary renderings during translation, and reporting every occurrence.

Per route hop (source -> target language), for all sentences of one call, in as few engine
calls as possible (each step batches every sentence still in need):

1. ``model``: translate normally. A term is applied when the output holds the concept's rendering
   (any inflected form) as often as the source holds the term. The untouched output reads best.
2. ``respell``: the output names the concept with another spelling the glossary knows (a
   variant, e.g. an older transliteration): that span is replaced by the rendering in the same
   case and number (Russian) or with its particle re-chosen (Korean).
3. ``placeholder``: each occurrence in the source becomes ``⟦i⟧``; the model translates the
   rest and the rendering is put where the placeholder came out. The form is read off the words
   the model used for the term in the normal output (step 1), found by aligning the two outputs:
   their case and number (pymorphy3, or the concept's own forms when recognised, or similar
   endings), with the model's score deciding between forms that remain. Korean particles after
   the term are re-chosen to agree with the rendering's last syllable.
4. ``prefix``: the placeholder did not survive (models without placeholder training drop it):
   the normal output up to where it diverges from the masked one, plus each candidate form, is
   forced as ``target_prefix`` and the model continues the sentence; the best continuation wins.

Whatever happens, the result is verified: an occurrence whose rendering is not in the final text
is reported ``missed`` with a warning. Through the English pivot every hop enforces its own
rendering (so the term reaches the second hop in its canonical English form); the report
refers to the original source spans.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

from service.glossary import korean
from service.models.package import InstalledPackage
from service.pipeline import TermReport

PLACEHOLDER = "⟦{}⟧"
_PLACEHOLDER_RE = re.compile(r"⟦(\d+)⟧")
_TOKEN_RE = re.compile(r"⟦\d+⟧|\w+(?:[-'’]\w+)*|[^\w\s]")
# More placeholders than this in one sentence confuse small models; the rest are left to verify.
_MAX_PLACEHOLDERS = 8


@dataclass
class SentenceOutcome:
    text: str
    terms: list[TermReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Occurrence:
    concept: Any
    start: int
    end: int
    surface: str

    @property
    def key(self) -> Any:
        return self.concept.key


@dataclass
class _Work:
    """One sentence on one hop."""

    source: str
    occurrences: list[_Occurrence]
    output: str = ""  # the normal translation, then the enforced one
    plain: str = ""  # the normal translation, before any enforcement
    strategies: list[str] = field(default_factory=list)

    def settle(self, output: str, strategy: str) -> None:
        self.output = output
        if strategy not in self.strategies:
            self.strategies.append(strategy)

    @property
    def base(self) -> int:
        """First placeholder index free for terms: sources may already hold ⟦n⟧ standing for
        markup (see service.formats), which keep their numbers."""
        return max((int(i) + 1 for i in _PLACEHOLDER_RE.findall(self.source)), default=0)


class Enforcer:
    """Translates sentences along a route with glossary renderings enforced."""

    def __init__(self, engine: Any, store: Any) -> None:
        self.engine = engine
        self.store = store

    def translate(self, route: Sequence[InstalledPackage], sentences: list[str], source: str,
                  target: str, mentions: list[list[Any]] | None = None) -> list[SentenceOutcome]:
        """``mentions``: per sentence, second mentions found with their article's context
        (``service.glossary.mentions.article_mentions``), enforced with the sentence's terms."""
        glossary = self.store.snapshot()
        extra: list[list[Any]] = mentions or [[] for _ in sentences]
        if mentions:
            from service.glossary.mentions import with_mentions

            glossary = with_mentions(glossary, mentions, source)
        original = [self._occurrences(glossary, source, target, s, e) for s, e in zip(sentences, extra)]
        texts = list(sentences)
        strategies: list[list[str]] = [[] for _ in sentences]
        for hop, package in enumerate(route):
            works = [
                _Work(text, self._occurrences(glossary, package.from_code, package.to_code, text,
                                              e if hop == 0 else ()))
                for text, e in zip(texts, extra)
            ]
            self._hop(glossary, package, works)
            texts = [w.output for w in works]
            for collected, work in zip(strategies, works):
                collected.extend(work.strategies)
        return [
            self._report(glossary, target, occurrences, text, "+".join(dict.fromkeys(strategy)))
            for occurrences, text, strategy in zip(original, texts, strategies)
        ]

    # -- recognition ---------------------------------------------------------------------------

    @staticmethod
    def _occurrences(glossary: Any, source: str, target: str, text: str,
                     mentions: Sequence[Any] = ()) -> list[_Occurrence]:
        found = sorted([*glossary.matcher(source).find(text), *mentions], key=lambda m: m.start)
        return [
            _Occurrence(m.concept, m.start, m.end, m.surface)
            for m in found
            if glossary.rendering(m.concept, target) is not None
        ]

    @staticmethod
    def _renderings_found(glossary: Any, target: str, output: str) -> tuple[Counter, list[Any]]:
        """(how often each concept's rendering occurs, matches that are other spellings)."""
        found: Counter = Counter()
        others = []
        for match in glossary.matcher(target).find(output):
            if _is_rendering(match.surface, glossary.forms(match.concept, target), target):
                found[match.concept.key] += 1
            else:
                others.append(match)
        return found, others

    def _missing(self, glossary: Any, target: str, work: _Work, output: str) -> Counter:
        needed = Counter(o.key for o in work.occurrences)
        found, _ = self._renderings_found(glossary, target, output)
        return Counter({key: n - found[key] for key, n in needed.items() if n > found[key]})

    # -- one hop -------------------------------------------------------------------------------

    def _hop(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        target = package.to_code
        for work, output in zip(works, self.engine.translate(package, [w.source for w in works])):
            work.output = work.plain = output
        pending = []
        for work in works:
            if not work.occurrences:
                continue
            if not self._missing(glossary, target, work, work.output):
                work.strategies.append("model")
                continue
            respelled = self._respell(glossary, package, work)
            if not self._missing(glossary, target, work, respelled):
                work.settle(respelled, "respell")
                continue
            pending.append(work)
        if pending:
            # One term at a time keeps the most context (verb agreement, word order); masking
            # them together rescues sentences whose terms are all unknown to the model.
            self._placeholder_rounds(glossary, package, pending)
            self._placeholders_together(glossary, package,
                                        [w for w in pending if self._missing(glossary, target, w, w.output)])
        still = [w for w in pending if self._missing(glossary, target, w, w.output)]
        if still:
            self._prefix_pass(glossary, package, still)

    def _respell(self, glossary: Any, package: InstalledPackage, work: _Work) -> str:
        """Replace other spellings of the needed concepts by their renderings, same form."""
        target = package.to_code
        wanted = {o.key for o in work.occurrences}
        _, others = self._renderings_found(glossary, target, work.output)
        text = work.output
        for match in sorted((m for m in others if m.concept.key in wanted), key=lambda m: -m.start):
            table = glossary.form_table(match.concept, target)
            readings = list(match.forms) if target == "ru" else []
            form = self._choose_form(package, work.source, text, match.start, match.end, table, readings,
                                     evidence=match.surface)
            text = _splice(text, match.start, match.end, form, target)
        return text

    def _placeholders_together(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """Mask every missing occurrence at once: when several terms are unknown to the model,
        masking them one at a time leaves the others to derail the sentence. Accepted only when
        every placeholder comes out exactly once."""
        target = package.to_code
        jobs: list[tuple[_Work, list[_Occurrence], list[str], str]] = []
        for work in works:
            # Every term the normal translation missed, including those a single-term round
            # spliced into a sentence that may have derailed around another unknown term.
            missing = self._missing(glossary, target, work, work.plain)
            occurrences = [o for o in work.occurrences if o.key in missing][:_MAX_PLACEHOLDERS]
            if len(occurrences) < 2:
                continue
            markers = [PLACEHOLDER.format(work.base + i) for i in range(len(occurrences))]
            masked, cursor = [], 0
            for occ, marker in zip(occurrences, markers):
                masked += [work.source[cursor:occ.start], marker]
                cursor = occ.end
            jobs.append((work, occurrences, markers, "".join(masked) + work.source[cursor:]))
        if not jobs:
            return
        outputs = self.engine.translate(package, [job[3] for job in jobs])
        for (work, occurrences, markers, _), masked_output in zip(jobs, outputs):
            if any(masked_output.count(marker) != 1 for marker in markers):
                continue
            text = masked_output
            for occ, marker in zip(occurrences, markers):
                # The words the model used for this term in its normal output, for the form.
                evidence = _slot(masked_output, work.output, marker, target,
                                 glossary.rendering(occ.concept, target) or "")
                span = work.output[evidence[0]:evidence[1]] if evidence else ""
                position = text.find(marker)
                form = self._choose_form(package, work.source, text, position, position + len(marker),
                                         glossary.form_table(occ.concept, target),
                                         self._readings(glossary, target, occ, span), evidence=span)
                text = _splice(text, position, position + len(marker), form, target)
            before = self._missing(glossary, target, work, work.output)
            if sum(self._missing(glossary, target, work, text).values()) < sum(before.values()):
                work.settle(text, "placeholder")

    def _placeholder_rounds(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """One missing occurrence per sentence and round: mask it alone (small models keep one
        placeholder far more reliably than several), translate every such sentence in one call,
        align the masked output with the current output to find the words the model used for
        the term, and put the rendering there in the form those words show."""
        target = package.to_code
        tried: dict[int, set[int]] = {id(w): set() for w in works}
        for _round in range(_MAX_PLACEHOLDERS):
            jobs: list[tuple[_Work, int, str]] = []
            for work in works:
                missing = self._missing(glossary, target, work, work.output)
                index = next((i for i, o in enumerate(work.occurrences)
                              if o.key in missing and i not in tried[id(work)]), None)
                if index is None:
                    continue
                tried[id(work)].add(index)
                jobs.append((work, index, PLACEHOLDER.format(work.base)))
            if not jobs:
                return
            masked = self.engine.translate(
                package, [_mask_one(w.source, w.occurrences[i], marker) for w, i, marker in jobs])
            for (work, index, marker), masked_output in zip(jobs, masked):
                slot = _slot(masked_output, work.output, marker, target,
                             glossary.rendering(work.occurrences[index].concept, target) or "")
                if slot is None:
                    continue
                start, end = slot
                occ = work.occurrences[index]
                table = glossary.form_table(occ.concept, target)
                span = work.output[start:end]
                form = self._choose_form(package, work.source, work.output, start, end, table,
                                         self._readings(glossary, target, occ, span), evidence=span)
                # An insertion goes before the word that follows the missing term.
                candidate = _splice(work.output, start, end, form if start < end else form + " ", target)
                before = self._missing(glossary, target, work, work.output)
                after = self._missing(glossary, target, work, candidate)
                if sum(after.values()) < sum(before.values()):
                    work.settle(candidate, "placeholder")

    def _prefix_pass(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """Force ``head + form`` as the start of the output and let the model continue; ``head``
        is the output up to where the term-masked translation departs from it."""
        target = package.to_code
        singles: list[tuple[_Work, _Occurrence]] = []
        for work in works:
            missing = self._missing(glossary, target, work, work.output)
            if sum(missing.values()) == 1:  # anchoring several terms at once is guesswork
                singles.append((work, next(o for o in work.occurrences if o.key in missing)))
        if not singles:
            return
        # The same masked sources as the placeholder rounds: answered from the engine's cache.
        masked = self.engine.translate(
            package, [_mask_one(w.source, occ, PLACEHOLDER.format(w.base)) for w, occ in singles])
        jobs: list[tuple[_Work, list[str]]] = []
        for (work, occ), masked_output in zip(singles, masked):
            settled = [(m.start, m.end) for m in glossary.matcher(target).find(work.output)
                       if m.concept.key != occ.key]
            anchor = _divergence(masked_output, work.output, settled)
            if anchor is None:
                continue
            head, span = anchor
            table = glossary.form_table(occ.concept, target)
            readings = self._readings(glossary, target, occ, span)
            forms = _forms_for(table, readings) or list(dict.fromkeys(table.values()))
            jobs.append((work, [head + _cased(form, head, target) for form in forms]))
        if not jobs:
            return
        sources, prefixes, owners = [], [], []
        for work, candidates in jobs:
            source_tokens = self.engine.tokenize(package, [work.source])[0]
            for candidate in candidates:
                sources.append(source_tokens)
                prefixes.append(candidate)
                owners.append(work)
        hypotheses = self.engine.translate_tokens(
            package, sources, target_prefix=self.engine.tokenize(package, prefixes), return_scores=True)
        best: dict[int, tuple[float, str, str]] = {}
        for work, prefix, hyps in zip(owners, prefixes, hypotheses):
            score = hyps[0].score if hyps[0].score is not None else float("-inf")
            if id(work) not in best or score > best[id(work)][0]:
                best[id(work)] = (score, hyps[0].text, prefix)
        for work, _ in jobs:
            _, text, _prefix = best[id(work)]
            if not self._missing(glossary, target, work, text):
                work.settle(text, "prefix")

    # -- choosing a form -----------------------------------------------------------------------

    @staticmethod
    def _readings(glossary: Any, target: str, occ: _Occurrence, span: str) -> list[tuple[str, str]]:
        """(case, number) readings of the words the model used for the term (Russian only)."""
        if target != "ru" or not span.strip():
            return []
        for match in glossary.matcher(target).find(span):
            if match.concept.key == occ.key and match.forms:
                return list(match.forms)
        from service.glossary.russian import case_readings

        return case_readings(span)

    def _choose_form(self, package: InstalledPackage, source: str, text: str, start: int, end: int,
                     table: dict[tuple[str, str], str], readings: list[tuple[str, str]], *,
                     evidence: str = "") -> str:
        """The rendering's form for the slot text[start:end]: the one the readings point to; among
        several, the one with the most similar ending to the model's own words; among equals, the
        one the model scores highest in the sentence."""
        candidates = _forms_for(table, readings) or list(dict.fromkeys(table.values()))
        if len(candidates) > 1 and evidence:
            candidates = _closest_endings(candidates, evidence)
        if len(candidates) == 1:
            return candidates[0]
        target = package.to_code
        sentences = [_splice(text, start, end, form, target) for form in candidates]
        scores = self.engine.score(package, [source] * len(sentences), sentences)
        return candidates[max(range(len(candidates)), key=scores.__getitem__)]

    # -- report --------------------------------------------------------------------------------

    def _report(self, glossary: Any, target: str, occurrences: list[_Occurrence], output: str,
                strategy: str) -> SentenceOutcome:
        outcome = SentenceOutcome(output)
        used: dict[Any, list[str]] = {}
        for match in glossary.matcher(target).find(output):
            if _is_rendering(match.surface, glossary.forms(match.concept, target), target):
                used.setdefault(match.concept.key, []).append(match.surface)
        for occ in occurrences:
            surfaces = used.get(occ.key) or []
            rendering = glossary.rendering(occ.concept, target)
            if surfaces:
                status, shown = "applied", surfaces.pop(0)
            else:
                status, shown = "missed", rendering
                outcome.warnings.append(
                    f"glossary term {occ.surface!r} ({occ.concept.msgid}) should read {rendering!r} "
                    "but the translation does not contain it")
            outcome.terms.append(TermReport(
                concept=occ.concept.msgid, category=occ.concept.category, source_start=occ.start,
                source_end=occ.end, source_text=occ.surface, rendering=shown, status=status,
                strategy=strategy if status == "applied" else ""))
        return outcome


# -- helpers -----------------------------------------------------------------------------------


def _is_rendering(surface: str, forms: list[str], target: str) -> bool:
    """Whether a recognised surface is the glossary's rendering as written, not a variant the
    matcher also accepts ("Kim Jong-un" is not "Kim Jong Un"). Only a sentence-initial capital
    and, in Russian, е for ё are let pass."""
    def key(text: str) -> str:
        text = text[:1].lower() + text[1:]
        return text.replace("ё", "е").replace("Ё", "Е") if target == "ru" else text
    return key(surface) in {key(f) for f in forms}


def _forms_for(table: dict[tuple[str, str], str], readings: list[tuple[str, str]]) -> list[str]:
    return list(dict.fromkeys(table[key] for key in readings if key in table))


def _closest_endings(candidates: list[str], evidence: str) -> list[str]:
    """Candidates whose last word shares the longest ending with the evidence's last word
    (Ына ~ Уна: the same declension class shows the same endings)."""
    words = evidence.split()
    if not words:
        return candidates
    last = words[-1].lower()

    def shared(form: str) -> int:
        other = form.split()[-1].lower() if form.split() else ""
        n = 0
        while n < min(len(last), len(other)) and last[-1 - n] == other[-1 - n]:
            n += 1
        return n

    best = max(shared(c) for c in candidates)
    return [c for c in candidates if shared(c) == best]


def _mask_one(source: str, occ: _Occurrence, marker: str) -> str:
    return source[:occ.start] + marker + source[occ.end:]


def _slot(masked: str, current: str, marker: str, target: str, rendering: str = "") -> tuple[int, int] | None:
    """Where in ``current`` the term sits, by aligning it with ``masked`` (the same sentence
    translated with the term replaced by ``marker``): the words of ``current`` facing the
    marker (less the words the masked side has around the marker in the same stretch, and less
    a Korean particle, which stays to be re-chosen), an empty stretch where ``current`` lacks the
    term, or, when the model dropped the marker, the one stretch of ``current`` that ``masked``
    lacks. None when it is unclear."""
    a, b = _tokens(masked), _tokens(current)
    matcher = difflib.SequenceMatcher(a=[m.group(0) for m in a], b=[m.group(0) for m in b], autojunk=False)
    opcodes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    count = masked.count(marker)
    for _tag, i1, i2, j1, j2 in opcodes:
        block = [m.group(0) for m in a[i1:i2]]
        if count != 1 or marker not in block:
            continue
        at = block.index(marker)
        particle = korean.particle_after(masked, masked.index(marker) + len(marker)) if target == "ko" else ""
        after = block[at + 1:]
        if particle and after and after[0] in korean.particle_variants(particle):
            after = after[1:]  # glued to the term in `current`: one token there
        before, after_n = at, len(after)
        if before + after_n > 3:
            return None  # the model rewrote more than the term: splicing would be a guess
        if j1 == j2:  # the current output lacks the term: insert it where the marker stood
            if j1 >= len(b) or not b[j1].group(0)[0].isalnum():
                return None  # before closing punctuation the sentence has moved on: no anchor
            return b[j1].start(), b[j1].start()
        words = b[j1:j2]
        if len(words) > before + after_n:
            words = words[before:len(words) - after_n]
        words = _likeliest_run(words, rendering)
        start, end = words[0].start(), words[-1].end()
        for form in korean.particle_variants(particle or ""):
            if current[start:end].endswith(form) and end - start > len(form):
                end -= len(form)
                break
        return start, end
    if count == 0:
        inserts = [op for op in opcodes if op[0] == "insert"]
        if len(opcodes) == 1 and len(inserts) == 1:
            _, _, _, j1, j2 = inserts[0]
            return b[j1].start(), b[j2 - 1].end()
    return None


def _likeliest_run(words: list[re.Match[str]], rendering: str) -> list[re.Match[str]]:
    """When the model dropped more than the term from the masked translation, the stretch facing
    the marker is longer than the term: keep the run of words that looks most like the rendering
    ("Министерство культуры" out of "Министерство культуры сообщило, что Ольга Любимова")."""
    size = len(_tokens(rendering))
    if not rendering or len(words) <= size + 1:
        return words
    wanted = rendering.lower()

    def likeness(run: list[re.Match[str]]) -> float:
        return difflib.SequenceMatcher(a=wanted, b=" ".join(m.group(0) for m in run).lower()).ratio()

    runs = [words[i:i + n] for n in range(1, size + 2) for i in range(len(words) - n + 1)]
    return max(runs, key=likeness)


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text))


def _divergence(masked: str, current: str, settled: list[tuple[int, int]]) -> tuple[str, str] | None:
    """(``current`` up to where the masked output departs from it, the words of ``current`` in
    that first differing stretch), or None when there is no such place. Stretches inside ``settled`` spans (renderings already
    enforced, which the masked output naturally writes the model's way) do not count."""
    a, b = _tokens(masked), _tokens(current)
    matcher = difflib.SequenceMatcher(a=[m.group(0) for m in a], b=[m.group(0) for m in b], autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j1 >= len(b) or not b[j1].group(0)[0].isalnum():
            return None  # the outputs part only at closing punctuation: no place for the term
        if j2 > j1 and any(start <= b[j1].start() and b[j2 - 1].end() <= end for start, end in settled):
            continue
        span = current[b[j1].start():b[j2 - 1].end()] if j2 > j1 else ""
        return current[:b[j1].start()], span
    return None


def _cased(form: str, head: str, target: str) -> str:
    """Sentence-initial renderings start with a capital (Cyrillic and Latin)."""
    if target != "ko" and not head.strip():
        return form[:1].upper() + form[1:]
    return form


def _splice(text: str, start: int, end: int, form: str, target: str) -> str:
    form = _cased(form, text[:start], target)
    spliced = text[:start] + form + text[end:]
    if target == "ko":
        spliced = spliced[:start] + korean.fix_particles(spliced[start:], form)
    return spliced
