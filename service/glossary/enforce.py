"""Enforcing glossary renderings during translation, and reporting every occurrence.

Per route hop (source -> target language), for all sentences of one call. Each strategy is one
batched engine call over every sentence still in need (never one decode per occurrence), and the
number of calls per hop is bounded (probes of concepts not met before, the first decode, one
redo for stood-in sentences that did not come out, one repair batch holding every stand-in
alternative and the placeholder version of each sentence in need, one forced-prefix decode, plus
scoring), so the cost of a call does not grow with its number of terms.

What a model knows is probed, not learnt from other texts (``service.glossary.probe``): whether
it writes a concept unaided is asked once per (model, concept, renderings), batched over every
concept of the call not probed yet (the terms, then their stand-in candidates a chunk at a time:
at most 1 + _STANDIN_PROBES / _PROBE_CHUNK calls, none once met), and kept for the process and
on disk. That is all the enforcer keeps across sentences and calls, and it is a pure function
of the model and the glossary, so a text translates to the same bytes alone, after other texts
or in a batch with them (a cluster batch run gives what a local run gives). A sentence holding
a term the model does not know is stood in from its first decode (no normal decode first: the
term would not come out); only when the stand-in does not come out whole does it get its normal
decode (with its likely repairs in the same engine call) and the repairs below.

1. ``model``: translate normally. A term is applied when the output holds the concept's rendering
   (one of its own forms) as often as the source holds the term. The untouched output reads best.
2. ``respell``: the output names the concept with another spelling the glossary knows (a
   variant, an older transliteration): that span gets the rendering in the same case and number
   (Russian) or with its particle re-chosen (Korean). No decode.
3. ``standin``: every missing term of the sentence is replaced in the source by a *stand-in*, a
   glossary concept of the same category and grammatical gender that the model writes unaided
   (probed; declinable ones first where Russian is on the hop, then the ones shaped most like
   the term), in the same case (Russian source) or with its particle re-agreed (Korean source).
   The model translates a sentence it knows; where the stand-in comes out, in whatever case,
   number and particle the sentence gave it, the term's rendering goes in the same form, and
   verbs and adjectives already agree in gender. Works on any model (official Argos models were
   never trained on placeholders). Up to three stand-ins per sentence are decoded in the same
   batch; the first that comes out is kept.
4. ``placeholder``: only for models whose vocabulary has placeholder symbols (``⟦n⟧``, as the
   demo models): every missing term becomes a placeholder numbered after the markup
   placeholders of the sentence (one namespace, see ``service.formats``); accepted when each
   comes out exactly once; the form is chosen from the context (``russian.rank_by_context``)
   and, among those left, by the model's score.
5. ``prefix``: where the term belongs in the normal output is found by diffing it with the
   stand-in output (else by the term's relative position); the output up to there plus the
   form the context needs (the model's score choosing among forms the context leaves open) is
   forced as ``target_prefix`` and the model continues the sentence (beam 2, bounded by what the
   output had left); the continuation that keeps every other term and scores best wins.

Then each output is checked: a verb or short adjective next to a person term agrees with the
concept's gender (fixed, with a warning), markup placeholders that wrapped a term in the source
wrap it again, and the report gives each source occurrence a status: ``applied`` (one of the
concept's own forms, in a form its context allows where that can be checked), ``misinflected``
(its own form, but one the context rules out, e.g. "с Ким Чен Ыне") or ``missed``, both with a
warning. Through the English pivot every hop enforces its own rendering (so the term reaches the
second hop in its canonical English form); the report refers to the original source spans.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.engine import bound_groups as _groups
from service.engine import decoding_bound as engine_bound
from service.formats.base import PLACEHOLDER
from service.formats.base import PLACEHOLDER_RE as _PLACEHOLDER_RE
from service.glossary import korean, russian
from service.glossary.probe import Probes
from service.models.package import InstalledPackage
from service.results import TermReport

_TOKEN_RE = re.compile(r"⟦\d+⟧|\w+(?:[-'’]\w+)*|[^\w\s]")
# More placeholders than this in one sentence confuse small models; the rest are left to verify.
_MAX_PLACEHOLDERS = 8
_STANDIN_ROUNDS = 3
# Stand-ins kept per concept: the first candidates the model knows (enough for every round when
# other terms of the sentence are taken), found among its first _STANDIN_PROBES candidates,
# probed _PROBE_CHUNK at a time (a glossary of many names the model never saw costs bounded probes).
_STANDIN_KEEP = 6
_STANDIN_PROBES = 48
_PROBE_CHUNK = 8
# Forms of one term tried as forced prefixes when the context leaves several (bounds the cost).
_PREFIX_CANDIDATES = 2
# Pieces a continuation may run past what the current output had after the forced head.
_PREFIX_SLACK = 2
# Beam (and continuations compared) per forced prefix: narrower than a full translation's 4, as
# the prefix fixes the hard part; halves the cost of the last-resort decode.
_PREFIX_HYPOTHESES = 2

STRATEGIES = ("respell", "standin", "placeholder", "prefix")

__all__ = ["STRATEGIES", "Enforcer", "Occurrence", "SentenceOutcome", "place_form"]


@dataclass
class SentenceOutcome:
    text: str
    terms: list[TermReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Occurrence:
    """One source occurrence of a concept: ``source[start:end]`` is ``surface``. ``forms``: its
    Russian (case, number) readings when the source is Russian. ``table``: the target forms to
    enforce when not the concept's own rendering (a short form, for a second mention)."""

    concept: Any
    start: int
    end: int
    surface: str
    forms: tuple[tuple[str, str], ...] = ()
    table: dict[tuple[str, str], str] | None = None

    @property
    def key(self) -> Any:
        return self.concept.key


@dataclass
class _Work:
    """One sentence on one hop."""

    source: str
    occurrences: list[Occurrence]
    output: str = ""  # the normal translation, then the enforced one
    plain: str = ""  # the normal translation, before any enforcement
    alternative: str = ""  # a stand-in translation, for locating terms in ``plain``
    strategies: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    wrapped: str = ""  # the source as given, with markup around terms (``source`` lacks it)
    pieces: list[str] = field(default_factory=list)  # the model's pieces for ``plain``

    def settle(self, output: str, strategy: str) -> None:
        self.output = output
        if strategy not in self.strategies:
            self.strategies.append(strategy)

    @property
    def base(self) -> int:
        """First placeholder index free for terms: sources may already hold ⟦n⟧ standing for
        markup (see service.formats), which keep their numbers."""
        return max((int(i) + 1 for i in _PLACEHOLDER_RE.findall(self.source)), default=0)


class _Memo:
    """A glossary snapshot whose answers are remembered for one call (the same concepts' forms
    and matchers are asked for in every strategy). ``plain``: the glossary without the call's
    mentions (what probes are asked about: the same whatever else the call holds)."""

    def __init__(self, snapshot: Any, plain: _Memo | None = None) -> None:
        self._snapshot = snapshot
        self.termbase = snapshot.termbase
        self.version = snapshot.version
        self._memo: dict[tuple, Any] = {}
        self.plain = plain or self
        self._concepts: dict[Any, Any] | None = None

    def base(self, concept: Any) -> Any:
        """The glossary's own concept for ``concept`` (a mention is enforced as a concept of its
        own, with the same key and its short form as rendering)."""
        if self._concepts is None:
            self._concepts = {c.key: c for c in self.termbase.concepts()}
        return self._concepts.get(concept.key, concept)

    def _get(self, name: str, *args: Any) -> Any:
        # A mention's concept shares its key with the glossary's concept: the type tells them apart.
        key = (name, *(_identity(a) if hasattr(a, "key") else a for a in args))
        if key not in self._memo:
            self._memo[key] = getattr(self._snapshot, name)(*args)
        return self._memo[key]

    def matcher(self, lang: str) -> Any:
        return self._get("matcher", lang)

    def find(self, lang: str, text: str) -> list[Any]:
        """The matcher's finds in ``text``: the same outputs are checked by several steps."""
        key = ("find", lang, text)
        if key not in self._memo:
            self._memo[key] = tuple(self.matcher(lang).find(text))
        return list(self._memo[key])

    def rendering(self, concept: Any, lang: str) -> str | None:
        return self._get("rendering", concept, lang)

    def form_table(self, concept: Any, lang: str) -> dict[tuple[str, str], str]:
        return self._get("form_table", concept, lang)

    def forms(self, concept: Any, lang: str) -> list[str]:
        return self._get("forms", concept, lang)


def place_form(text: str, start: int, end: int, table: dict[tuple[str, str], str], target: str,
               *, readings: Sequence[tuple[str, str]] = (), gender: str | None = None,
               category: str = "") -> tuple[str, str]:
    """Put a rendering into ``text[start:end]`` (an empty span inserts) in the form its context
    needs: (new text, the form used). The one function for "enforce this concept with these
    forms at this place" without a model (``Enforcer`` adds the model's score among forms the
    context leaves open): Russian case from ``readings`` (the case the replaced words showed)
    and the governing words before the slot, gender agreement of a verb next to it (``gender``),
    Korean particles re-agreed, sentence-initial capital."""
    forms = _candidates(table, text[:start], text[end:], list(readings), target, category)
    form = forms[0]
    spliced = _splice(text, start, end, form if start < end or not text[end:end + 1].isalnum() else form + " ",
                      target)
    if target == "ru" and gender:
        position = len(_cased(form, text[:start], target))
        spliced, _note = russian.agree_gender(spliced, start, start + position, gender)
    return spliced, form


def _candidates(table: dict[tuple[str, str], str], before: str, after: str,
                readings: list[tuple[str, str]], target: str, category: str = "") -> list[str]:
    if not table:
        return [""]
    if target != "ru":
        return list(dict.fromkeys(table.values()))
    return russian.rank_by_context(table, before, after, readings, category)


class Enforcer:
    """Translates sentences along a route with glossary renderings enforced."""

    def __init__(self, engine: Any, store: Any, *, strategies: Sequence[str] = STRATEGIES) -> None:
        """``strategies``: the repair strategies to use, a subset of ``STRATEGIES`` (all by
        default; evaluations and tests switch some off to exercise the others)."""
        unknown = set(strategies) - set(STRATEGIES)
        if unknown:
            raise ValueError(f"unknown strategies {sorted(unknown)}; expected some of {STRATEGIES}")
        self.engine = engine
        self.store = store
        self.strategies = tuple(strategies)
        # The only knowledge kept across calls: which concepts each model writes unaided, a
        # pure function of the model and the concept (service.glossary.probe), so a text's
        # translation never depends on what was translated before it or beside it.
        self.probes = Probes(engine)

    def translate(self, route: Sequence[InstalledPackage], sentences: list[str], source: str,
                  target: str, mentions: list[list[Any]] | None = None) -> list[SentenceOutcome]:
        """``mentions``: per sentence, second mentions found with their article's context
        (``service.glossary.mentions.article_mentions``), enforced with the sentence's terms."""
        plain = _Memo(self.store.snapshot())
        glossary = plain
        extra: list[list[Any]] = mentions or [[] for _ in sentences]
        if mentions:
            from service.glossary.mentions import with_mentions

            glossary = _Memo(with_mentions(plain._snapshot, mentions, source), plain)
        original = [self._occurrences(glossary, source, target, s, e) for s, e in zip(sentences, extra)]
        texts = list(sentences)
        strategies: list[list[str]] = [[] for _ in sentences]
        notes: list[list[str]] = [[] for _ in sentences]
        for hop, package in enumerate(route):
            works = []
            for text, e in zip(texts, extra):
                found = e if hop == 0 else ()
                # Markup right around a term (<b>, a link) is taken off for the model and put
                # back around the rendering afterwards (_rewrap_markup). Mentions carry offsets
                # into the text as given, so a sentence with mentions keeps its markup.
                occurrences = self._occurrences(glossary, package.from_code, package.to_code, text, found)
                bare = text if found else _unwrap(text, occurrences)
                works.append(_Work(bare, occurrences if bare == text else
                                   self._occurrences(glossary, package.from_code, package.to_code, bare),
                                   wrapped=text))
            self._hop(glossary, package, works)
            texts = [w.output for w in works]
            for collected, noted, work in zip(strategies, notes, works):
                collected.extend(work.strategies)
                noted.extend(work.warnings)
        outcomes = []
        for _sentence, occurrences, text, strategy, noted in zip(sentences, original, texts, strategies, notes):
            outcome = self._report(glossary, target, occurrences, text, "+".join(dict.fromkeys(strategy)))
            outcome.warnings[:0] = noted
            outcomes.append(outcome)
        return outcomes

    # -- recognition ---------------------------------------------------------------------------

    @staticmethod
    def _occurrences(glossary: Any, source: str, target: str, text: str,
                     mentions: Sequence[Any] = ()) -> list[Occurrence]:
        found = sorted([*_find(glossary, source, text), *mentions], key=lambda m: m.start)
        return [
            Occurrence(m.concept, m.start, m.end, m.surface, tuple(getattr(m, "forms", None) or ()))
            for m in found
            if glossary.rendering(m.concept, target) is not None
        ]

    @staticmethod
    def _renderings_found(glossary: Any, target: str, output: str,
                          occurrences: Sequence[Occurrence] = ()) -> tuple[Counter, list[Any]]:
        """(how often each concept's rendering occurs, matches that are other spellings). An
        occurrence's own ``table`` (a short form) counts as the rendering too."""
        found: Counter = Counter()
        others = []
        for match in _find(glossary, target, output):
            if _is_rendering(match.surface, _own_forms(glossary, match.concept, target, occurrences), target):
                found[match.concept.key] += 1
            else:
                others.append(match)
        return found, others

    def alternatives(self, target: str, translation: str, texts: Sequence[str]) -> list[str | None]:
        """``texts``, other model translations of the sentence that gave the finished
        ``translation``, each finished the same way (gender agreement next to person and
        organisation terms), or None where one does not name the same glossary concepts with
        their renderings, in forms their context allows just as often, as ``translation`` does
        (so that the translation's term report holds for those kept)."""
        glossary = _Memo(self.store.snapshot())
        named = _named(glossary, target, translation)
        persons: dict[Any, Any] = {}
        if target == "ru":
            keys = {key for key, _ in named}
            persons = {m.concept.key: m.concept for m in glossary.matcher(target).find(translation)
                       if m.concept.key in keys and m.concept.category in ("person", "organization")}
        kept: list[str | None] = []
        for text in texts:
            if persons:
                text, _ = _agree_gender(glossary, text, persons)
            kept.append(text if _named(glossary, target, text) == named else None)
        return kept

    def _missing(self, glossary: Any, target: str, work: _Work, output: str) -> Counter:
        if _PLACEHOLDER_RE.search(output) and len(_PLACEHOLDER_RE.findall(output)) > len(
                _PLACEHOLDER_RE.findall(work.source)):
            # An output holding placeholders its source does not is never accepted.
            return Counter({o.key: 1 for o in work.occurrences}) or Counter({"?": 1})
        needed = Counter(o.key for o in work.occurrences)
        found, _ = self._renderings_found(glossary, target, output, work.occurrences)
        return Counter({key: n - found[key] for key, n in needed.items() if n > found[key]})

    # -- one hop -------------------------------------------------------------------------------

    def _hop(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        target = package.to_code
        self._probe(glossary, package, works)
        # Sentences with a term the model does not write (the probe says so) are stood in from
        # the first decode, saving their normal decode and a repair round; the rest, and the
        # rare stood-in sentence that does not come out whole, are translated normally.
        early = [w for w in works if any(self._knows(glossary, package, o.concept) is False for o in w.occurrences)] \
            if "standin" in self.strategies else []
        jobs = self._standin_jobs(glossary, package, early, 0) if early else []
        plain = [w for w in works if all(w is not job[0] for job in jobs)]
        outputs = self._decode(package, [t for _, _, t in jobs] + [w.source for w in plain])
        # Stand-in sources already decoded on this hop: a repair round asking again reuses them.
        decoded = {t: text for (_, _, t), (text, _) in zip(jobs, outputs)}
        if jobs:  # one decode for both: stood-in sentences and normal ones
            self._standin_accept(glossary, package, jobs, [text for text, _ in outputs[:len(jobs)]], complete=True)
        again = [job[0] for job in jobs if not job[0].strategies]
        for work, (output, pieces) in zip(plain, outputs[len(jobs):]):
            work.output = work.plain = output
            work.pieces = pieces
        if again:
            # The stood-in sentences that did not come out whole are translated normally, and in
            # the same engine call their likely repairs (the other stand-in rounds, the unknown
            # terms masked), which the repair batch below then finds decoded.
            likely = self._likely_repairs(glossary, package, again)
            outputs = self._decode(package, [w.source for w in again] + likely)
            decoded.update((t, text) for t, (text, _) in zip(likely, outputs[len(again):]))
            for work, (output, pieces) in zip(again, outputs):
                work.output = work.plain = output
                work.pieces = pieces
        rest = [w for w in works if not w.strategies]
        pending = []
        for work in rest:
            if not work.occurrences:
                continue
            if not self._missing(glossary, target, work, work.output):
                work.strategies.append("model")
                continue
            respelled = self._respell(glossary, package, work) if "respell" in self.strategies else work.output
            if not self._missing(glossary, target, work, respelled):
                work.settle(respelled, "respell")
                continue
            pending.append(work)
        if pending:
            # Every stand-in round and the placeholder version go to the model together: a
            # repair batch of a few sentences costs as long as its longest sentence, so one
            # batch of alternatives beats several rounds; the first that works, in this
            # order, is kept.
            rounds = [self._standin_jobs(glossary, package, pending, r) for r in range(_STANDIN_ROUNDS)] \
                if "standin" in self.strategies else []
            masked = self._placeholder_jobs(glossary, package, pending) \
                if "placeholder" in self.strategies and self._has_placeholders(package) else []
            texts = [t for jobs in rounds for _, _, t in jobs] + [job[3] for job in masked]
            todo = list(dict.fromkeys(t for t in texts if t not in decoded))
            decoded.update(zip(todo, self.engine.translate(package, todo) if todo else []))
            repaired = [decoded[t] for t in texts]
            at = 0
            for jobs in rounds:
                self._standin_accept(glossary, package, jobs, repaired[at:at + len(jobs)])
                at += len(jobs)
            if masked:
                self._placeholder_accept(glossary, package, masked, repaired[at:])
            pending = [w for w in pending if self._missing(glossary, target, w, w.output)]
        if pending and "prefix" in self.strategies:
            self._prefix_pass(glossary, package, pending)
        for work in works:
            if work.occurrences:
                self._finish(glossary, package, work)

    def _likely_repairs(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> list[str]:
        """The repair sources ``works`` will most likely need (before their normal translation is
        known): stand-in rounds after the first, and each sentence with the terms the model does
        not know masked."""
        texts = [t for r in range(1, _STANDIN_ROUNDS) for _, _, t in self._standin_jobs(glossary, package, works, r)] \
            if "standin" in self.strategies else []
        if "placeholder" in self.strategies and self._has_placeholders(package):
            for work in works:
                unknown = {o.key for o in work.occurrences if self._knows(glossary, package, o.concept) is False}
                texts += [job[3] for job in self._placeholder_jobs(glossary, package, [work], only=unknown)]
        return list(dict.fromkeys(texts))

    def _probe(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """Probe (service.glossary.probe) the hop's concepts not probed yet, then the stand-in
        candidates of those the model does not know: each a batched engine call for all
        concepts (at most 1 + _STANDIN_PROBES / _PROBE_CHUNK), none once the concepts were met."""
        plain = getattr(glossary, "plain", glossary)
        concepts = {o.key: plain.base(o.concept) for w in works for o in w.occurrences}
        self.probes.probe(plain, package, concepts.values())
        if "standin" not in self.strategies:
            return
        # The candidates of every unknown concept, a chunk at a time, until it has its
        # _STANDIN_KEEP known stand-ins or all its candidates were probed.
        unknown = [c for c in concepts.values() if self._knows(glossary, package, c) is False]
        for limit in range(_PROBE_CHUNK, _STANDIN_PROBES + _PROBE_CHUNK, _PROBE_CHUNK):
            asked: dict[Any, Any] = {}
            for concept in list(unknown):
                head = self._standin_candidates(glossary, package, concept)[:limit]
                if sum(self._knows(glossary, package, c) is True for c in head) >= _STANDIN_KEEP \
                        or len(head) <= limit - _PROBE_CHUNK:
                    unknown.remove(concept)
                    continue
                asked.update((c.key, c) for c in head if self._knows(glossary, package, c) is None)
            if not asked:
                break
            self.probes.probe(plain, package, asked.values())

    def _knows(self, glossary: Any, package: InstalledPackage, concept: Any) -> bool | None:
        """Whether the model writes the concept unaided (None: not probed yet). A mention
        counts as its concept; probes see the glossary without the call's mentions."""
        plain = getattr(glossary, "plain", glossary)
        return self.probes.knows(plain, package, plain.base(concept) if hasattr(plain, "base") else concept)

    def _decode(self, package: InstalledPackage, sources: list[str]) -> list[tuple[str, list[str]]]:
        """(text, pieces) of each normal translation: the pieces let a forced prefix reuse the
        model's own tokens (re-encoding its text can give other, more pieces)."""
        hypotheses = self.engine.translate_tokens(package, self.engine.tokenize(package, sources))
        return [(hyps[0].text, list(hyps[0].tokens)) if hyps else ("", []) for hyps in hypotheses]

    def _has_placeholders(self, package: InstalledPackage) -> bool:
        """Whether the model was trained with placeholder symbols (one piece for ``⟦0⟧``)."""
        markers = [PLACEHOLDER.format(0), PLACEHOLDER.format(1)]
        return all(marker in pieces for marker, pieces in zip(markers, self.engine.tokenize(package, markers)))

    def _respell(self, glossary: Any, package: InstalledPackage, work: _Work) -> str:
        """Replace other spellings of the needed concepts by their renderings, same form."""
        target = package.to_code
        wanted = {o.key for o in work.occurrences}
        _, others = self._renderings_found(glossary, target, work.output, work.occurrences)
        text = work.output
        for match in sorted((m for m in others if m.concept.key in wanted), key=lambda m: -m.start):
            table = glossary.form_table(match.concept, target)
            readings = list(match.forms) if target == "ru" else []
            forms = _candidates(table, text[:match.start], text[match.end:], readings, target,
                                match.concept.category)
            text = _splice(text, match.start, match.end, forms[0], target)
        return text

    # -- stand-ins -----------------------------------------------------------------------------

    def _standins(self, glossary: Any, package: InstalledPackage, concept: Any, exclude: set[Any]) -> list[Any]:
        """Concepts that can stand in for ``concept``: the first ``_STANDIN_KEEP`` of its
        candidates (``_standin_candidates``) that the model writes unaided (probed), less
        ``exclude``; among equally good candidates, the ones the model wrote in more of the
        probe's shapes first. A pure function of the model and the glossary (``_probe``
        probed every candidate up to the last one kept)."""
        plain = getattr(glossary, "plain", glossary)
        base = plain.base(concept) if hasattr(plain, "base") else concept  # a mention: its concept's
        ranked = self._standin_candidates(glossary, package, base, ranked=True)
        known = [(rank, other) for rank, other in ranked if self._knows(glossary, package, other)][:_STANDIN_KEEP]
        known.sort(key=lambda item: (item[0], -self.probes.strength(glossary, package, item[1])))
        return [other for _, other in known if other.key not in exclude]

    def _standin_candidates(self, glossary: Any, package: InstalledPackage, concept: Any,
                            ranked: bool = False) -> list[Any]:
        """The first ``_STANDIN_PROBES`` concepts of the same category and Russian gender,
        written in both languages of the hop: declinable first when Russian is on the hop (their
        case shows), then the ones shaped most like ``concept``, then glossary order. A pure
        function of the glossary.
        ``ranked``: (rank, concept) pairs, equal ranks for candidates as good as each other."""
        key = ("standins", package.key, _identity(concept))
        memo = getattr(glossary, "_memo", None)
        order = memo.get(key) if memo is not None else None
        if order is None:
            order = self._rank_standins(glossary, package, concept)
            if memo is not None:
                memo[key] = order
        return order if ranked else [other for _, other in order]

    @staticmethod
    def _rank_standins(glossary: Any, package: InstalledPackage, concept: Any) -> list[tuple[Any, Any]]:
        source, target = package.from_code, package.to_code
        gender = russian.gender_of(concept.rendering("ru"))
        found = []
        for index, other in enumerate(glossary.termbase.concepts()):
            if other.category != concept.category or other.key == concept.key:
                continue
            if glossary.rendering(other, source) is None or glossary.rendering(other, target) is None:
                continue
            if russian.gender_of(other.rendering("ru")) != gender:
                continue
            # Where Russian is on the hop, a declinable stand-in shows (or carries) the case.
            table = glossary.form_table(other, "ru") if other.rendering("ru") and "ru" in (source, target) else {}
            declines = len(set(table.values())) > 1
            found.append((not declines, -_likeness(glossary, concept, other, (source, target)), index, other))
        found.sort(key=lambda item: item[:3])
        return [(item[:2], item[3]) for item in found[:_STANDIN_PROBES]]

    def _standin_source(self, glossary: Any, source_lang: str, text: str, occ: Occurrence, standin: Any) -> str:
        """``text`` with ``occ`` replaced by the stand-in, in the same case (Russian) or with its
        particle re-agreed (Korean)."""
        if source_lang == "ru":
            table = glossary.form_table(standin, "ru")
            word = next((table[f] for f in occ.forms if f in table), glossary.rendering(standin, "ru"))
        else:
            word = glossary.rendering(standin, source_lang)
        word = _cased(word, text[:occ.start], source_lang) if occ.surface[:1].isupper() else word
        if source_lang == "ko":
            chain = korean.particle_after(text, occ.end) or ""
            return text[:occ.start] + word + korean.reagree(word, chain) + text[occ.end + len(chain):]
        return text[:occ.start] + word + text[occ.end:]

    def _standin_pass(self, glossary: Any, package: InstalledPackage, works: list[_Work], round_: int, *,
                      complete: bool = False) -> bool:
        """One batched decode of every pending sentence with its missing terms replaced by
        stand-ins. True when any sentence was settled (a second round is worth trying).
        ``complete``: accept only sentences where every term comes out (used before the normal
        decode, when a sentence not settled here is translated normally after)."""
        jobs = self._standin_jobs(glossary, package, works, round_)
        if not jobs:
            return False
        return self._standin_accept(glossary, package, jobs, self.engine.translate(package, [t for _, _, t in jobs]),
                                    complete=complete)

    def _standin_jobs(self, glossary: Any, package: InstalledPackage, works: list[_Work],
                      round_: int) -> list[tuple[_Work, dict[Any, tuple[Any, int]], str]]:
        """(sentence, {term: (stand-in, occurrences)}, source with the stand-ins) per sentence."""
        source_lang, target = package.from_code, package.to_code
        jobs: list[tuple[_Work, dict[Any, tuple[Any, int]], str]] = []
        for work in works:
            missing = self._missing(glossary, target, work, work.output)
            in_sentence = {o.key for o in work.occurrences}
            chosen: dict[Any, tuple[Any, int]] = {}  # concept key -> (stand-in, occurrences)
            used = set(in_sentence)
            # Terms the model writes (it did elsewhere) failed because of the unknown ones
            # around them: only those it never wrote get stand-ins, unless all are known.
            unknown = {o.key for o in work.occurrences
                       if o.key in missing and not self._knows(glossary, package, o.concept)}
            for occ in work.occurrences:
                if occ.key not in missing or occ.key in chosen or (unknown and occ.key not in unknown):
                    continue
                options = self._standins(glossary, package, occ.concept, used)
                if len(options) <= round_:
                    continue
                standin = options[round_]
                used.add(standin.key)
                chosen[occ.key] = (standin, 0)
            if not chosen:
                continue
            text = work.source
            for occ in sorted(work.occurrences, key=lambda o: -o.start):
                if occ.key in chosen:
                    standin, count = chosen[occ.key]
                    chosen[occ.key] = (standin, count + 1)
                    text = self._standin_source(glossary, source_lang, text, occ, standin)
            jobs.append((work, chosen, text))
        return jobs

    def _standin_accept(self, glossary: Any, package: InstalledPackage,
                        jobs: list[tuple[_Work, dict[Any, tuple[Any, int]], str]], outputs: list[str], *,
                        complete: bool = False) -> bool:
        """Settle the sentences whose stand-ins came out (see ``_standin_pass``)."""
        target = package.to_code
        settled = False
        choices: list[tuple[_Work, str, list[tuple[int, int, list[str]]]]] = []
        for (work, chosen, _), output in zip(jobs, outputs):
            if not work.alternative:
                work.alternative = output
            by_standin = {standin.key: key for key, (standin, _count) in chosen.items()}
            slots: list[tuple[int, int, list[str]]] = []
            seen: Counter = Counter()
            ok = True
            for match in _find(glossary, target, output):
                if match.concept.key not in by_standin:
                    continue
                if not _is_rendering(match.surface, glossary.forms(match.concept, target), target):
                    ok = False  # the stand-in itself came out mangled: its form tells nothing
                    break
                seen[match.concept.key] += 1
                occ = next(o for o in work.occurrences if o.key == by_standin[match.concept.key])
                readings = list(match.forms) if target == "ru" else []
                slots.append((match.start, match.end,
                              _candidates(self._table(glossary, target, occ), output[:match.start],
                                          output[match.end:], readings, target, occ.concept.category)))
            if not ok or any(seen[standin.key] != count for standin, count in chosen.values()):
                continue
            choices.append((work, output, slots))
        for (work, _output, _slots), text in zip(choices, self._fill(package, choices)):
            after = sum(self._missing(glossary, target, work, text).values())
            if after < sum(self._missing(glossary, target, work, work.output).values()) and not (complete and after):
                work.settle(text, "standin")
                settled = True
        return settled

    def _fill(self, package: InstalledPackage, choices: list[tuple[_Work, str, list[tuple[int, int, list[str]]]]]) -> list[str]:
        """Each output with its slots filled: a slot's only candidate, or among several the one
        the model scores best in the sentence (one scoring call for every sentence)."""
        target = package.to_code
        firsts = []
        for _work, _output, slots in choices:
            firsts.append([c[0] for _, _, c in slots])
        requests: list[tuple[int, int, str, str]] = []  # (choice, slot, form, sentence)
        for index, (_work, output, slots) in enumerate(choices):
            for slot, (_, _, candidates) in enumerate(slots):
                if len(candidates) < 2:
                    continue
                for form in candidates[:4]:
                    picked = list(firsts[index])
                    picked[slot] = form
                    requests.append((index, slot, form, _fill_slots(output, slots, picked, target)))
        if requests:
            scores = self.engine.score(package, [choices[i][0].source for i, _, _, _ in requests],
                                       [r[3] for r in requests])
            best: dict[tuple[int, int], tuple[float, str]] = {}
            for (index, slot, form, _), score in zip(requests, scores):
                if (index, slot) not in best or score > best[(index, slot)][0]:
                    best[(index, slot)] = (score, form)
            for (index, slot), (_, form) in best.items():
                firsts[index][slot] = form
        return [_fill_slots(output, slots, picked, target)
                for (_, output, slots), picked in zip(choices, firsts)]

    # -- placeholders --------------------------------------------------------------------------

    def _placeholder_pass(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """Mask every missing occurrence at once with placeholders numbered after the sentence's
        markup placeholders; accepted when each comes out exactly once."""
        jobs = self._placeholder_jobs(glossary, package, works)
        if jobs:
            self._placeholder_accept(glossary, package, jobs, self.engine.translate(package, [j[3] for j in jobs]))

    def _placeholder_jobs(self, glossary: Any, package: InstalledPackage, works: list[_Work],
                          only: set[Any] | None = None) -> list[tuple[_Work, list[Occurrence], list[str], str]]:
        """(sentence, masked occurrences, their markers, masked source) per sentence: the
        missing terms masked (``only``: these concepts instead)."""
        target = package.to_code
        jobs: list[tuple[_Work, list[Occurrence], list[str], str]] = []
        for work in works:
            missing = self._missing(glossary, target, work, work.output) if only is None else only
            occurrences = [o for o in work.occurrences if o.key in missing][:_MAX_PLACEHOLDERS]
            if not occurrences:
                continue
            markers = [PLACEHOLDER.format(work.base + i) for i in range(len(occurrences))]
            masked, cursor = [], 0
            for occ, marker in sorted(zip(occurrences, markers), key=lambda pair: pair[0].start):
                masked += [work.source[cursor:_article_start(work.source, occ.start, package.from_code)], marker]
                cursor = occ.end
            jobs.append((work, occurrences, markers, "".join(masked) + work.source[cursor:]))
        return jobs

    def _placeholder_accept(self, glossary: Any, package: InstalledPackage,
                            jobs: list[tuple[_Work, list[Occurrence], list[str], str]], outputs: list[str]) -> None:
        """Settle the sentences whose placeholders came out (see ``_placeholder_pass``)."""
        target = package.to_code
        choices: list[tuple[_Work, str, list[tuple[int, int, list[str]]]]] = []
        for (work, occurrences, markers, _), output in zip(jobs, outputs):
            if not work.alternative:
                work.alternative = output
            if any(output.count(marker) != 1 for marker in markers):
                continue
            if len(occurrences) == 1:
                # Where the normal output has the model's own words for the term (a known concept
                # under another name): replace just those, in the form they show.
                occ = occurrences[0]
                table = self._table(glossary, target, occ)
                slot = _slot(output, work.output, markers[0], target, glossary.rendering(occ.concept, target) or "") \
                    if _differs_once(output, work.output) else None
                if slot is not None:
                    start, end = slot
                    readings = self._readings(glossary, target, occ, work.output[start:end])
                    choices.append((work, work.output, [(start, end, _candidates(
                        table, work.output[:start], work.output[end:], readings, target, occ.concept.category))]))
                    continue
            slots = []
            for occ, marker in zip(occurrences, markers):
                at = output.index(marker)
                table = self._table(glossary, target, occ)
                slots.append((at, at + len(marker),
                              _candidates(table, _PLACEHOLDER_RE.sub("", output[:at]), output[at + len(marker):],
                                          [], target, occ.concept.category)))
            slots.sort(key=lambda s: s[0])
            choices.append((work, output, slots))
        for (work, _output, _slots), text in zip(choices, self._fill(package, choices)):
            if sum(self._missing(glossary, target, work, text).values()) < \
                    sum(self._missing(glossary, target, work, work.output).values()):
                work.settle(text, "placeholder")

    @staticmethod
    def _readings(glossary: Any, target: str, occ: Occurrence, span: str) -> list[tuple[str, str]]:
        """(case, number) readings of the words the model used for the term (Russian only)."""
        if target != "ru" or not span.strip():
            return []
        for match in _find(glossary, target, span):
            if match.concept.key == occ.key and match.forms:
                return list(match.forms)
        return russian.case_readings(span)

    @staticmethod
    def _table(glossary: Any, target: str, occ: Occurrence) -> dict[tuple[str, str], str]:
        return occ.table if occ.table is not None else glossary.form_table(occ.concept, target)

    # -- forced prefixes -----------------------------------------------------------------------

    def _prefix_pass(self, glossary: Any, package: InstalledPackage, works: list[_Work]) -> None:
        """Force ``head + form`` as the start of the output and let the model continue: ``head``
        is the current output up to where the term belongs, the form the one the context before
        it needs (among forms the context leaves open, the one the model scores best after the
        head: one scoring call). One decode per sentence, all in one batch, bounded by what the
        current output still had after the head; the beam's continuations are compared. One
        missing term per sentence: the first."""
        target = package.to_code
        options: list[tuple[_Work, list[str], list[list[str]], int]] = []  # work, prefixes (text, pieces), left
        heads: list[list[str]] = []
        for work in works:
            missing = self._missing(glossary, target, work, work.output)
            occ = next((o for o in work.occurrences if o.key in missing), None)
            if occ is None:
                continue
            head = self._anchor(glossary, target, work, occ)
            table = self._table(glossary, target, occ)
            forms = [_cased(form, head, target) for form in
                     _candidates(table, head, "", [], target, occ.concept.category)[:_PREFIX_CANDIDATES]]
            separator = "" if not head or head.endswith((" ", "\u00a0")) else " "
            pieces = work.pieces if work.output == work.plain and work.pieces else \
                self.engine.tokenize(package, [work.output])[0]
            head_pieces = _head_pieces(pieces, len(head))
            form_pieces = self.engine.tokenize(package, forms)
            options.append((work, [head + separator + form for form in forms],
                            [head_pieces + f for f in form_pieces], len(pieces) - len(head_pieces)))
            heads.append(head_pieces)
        if not options:
            return
        ambiguous = [(i, j) for i, (_, prefixes, _, _) in enumerate(options) if len(prefixes) > 1
                     for j in range(len(prefixes))]
        chosen = {i: 0 for i in range(len(options))}
        if ambiguous:
            scores = self.engine.score(package, [options[i][0].source for i, _ in ambiguous],
                                       [options[i][1][j] for i, j in ambiguous])
            best_score: dict[int, float] = {}
            for (i, j), score in zip(ambiguous, scores):
                if i not in best_score or score > best_score[i]:
                    best_score[i], chosen[i] = score, j
        jobs = [(work, prefixes[chosen[i]]) for i, (work, prefixes, _, _) in enumerate(options)]
        prefix_tokens = [pieces[chosen[i]] for i, (_, _, pieces, _) in enumerate(options)]
        source_tokens = self.engine.tokenize(package, [w.source for w, _ in jobs])
        # Each group of equal bounds is one batch (CTranslate2 takes one bound per call).
        bounds = [min(len(tokens) + left + _PREFIX_SLACK, engine_bound(len(src)) + len(tokens) - len(head))
                  for tokens, src, head, (_, _, _, left) in zip(prefix_tokens, source_tokens, heads, options)]
        hypotheses: list[Any] = [None] * len(jobs)
        for bound, indices in _groups(bounds).items():
            for i, hyps in zip(indices, self.engine.translate_tokens(
                    package, [source_tokens[i] for i in indices], target_prefix=[prefix_tokens[i] for i in indices],
                    num_hypotheses=_PREFIX_HYPOTHESES, beam_size=_PREFIX_HYPOTHESES, max_decoding_length=bound,
                    return_scores=True)):
                hypotheses[i] = hyps
        # Every continuation of every candidate form competes: fewest terms missing first (a
        # continuation that drops another term loses), then the model's score.
        best: dict[int, tuple[int, float, str]] = {}
        for (work, _prefix), hyps in zip(jobs, hypotheses):
            for hyp in hyps:
                text = hyp.text
                if target == "ko":
                    for occ in work.occurrences:
                        text = korean.fix_particles(text, glossary.rendering(occ.concept, target) or "")
                lacking = sum(self._missing(glossary, target, work, text).values())
                score = hyp.score if hyp.score is not None else float("-inf")
                if id(work) not in best or (lacking, -score) < (best[id(work)][0], -best[id(work)][1]):
                    best[id(work)] = (lacking, score, text)
        for work in {id(w): w for w, _ in jobs}.values():
            lacking, _score, text = best[id(work)]
            if lacking < sum(self._missing(glossary, target, work, work.output).values()):
                work.settle(text, "prefix")

    def _anchor(self, glossary: Any, target: str, work: _Work, occ: Occurrence) -> str:
        """The current output up to where ``occ`` belongs: where another translation of the
        sentence (stand-in or masked) departs from it, else the term's relative position."""
        current = work.output
        if work.alternative:
            settled = [(m.start, m.end) for m in _find(glossary, target, current)
                       if m.concept.key != occ.key]
            found = _divergence(work.alternative, current, settled)
            if found is not None:
                return found[0]
        tokens = _tokens(current)
        if not tokens or not work.source:
            return ""
        at = round(len(tokens) * occ.start / len(work.source))
        return current[:tokens[at].start()] if at < len(tokens) else current

    # -- after the strategies ------------------------------------------------------------------

    def _finish(self, glossary: Any, package: InstalledPackage, work: _Work) -> None:
        """Gender agreement next to person terms (Russian) and markup around terms."""
        target = package.to_code
        text = work.output
        wrapped_occurrences = self._occurrences(glossary, package.from_code, target, work.wrapped) \
            if work.wrapped and work.wrapped != work.source else work.occurrences
        if target == "ru":
            persons = {o.key: o.concept for o in work.occurrences if o.concept.category in ("person", "organization")}
            text, notes = _agree_gender(glossary, text, persons)
            work.warnings.extend(notes)
        work.output = _rewrap_markup(glossary, target, work.wrapped or work.source, wrapped_occurrences, text)

    # -- report --------------------------------------------------------------------------------

    def _report(self, glossary: Any, target: str, occurrences: list[Occurrence], output: str,
                strategy: str) -> SentenceOutcome:
        outcome = SentenceOutcome(output)
        used: dict[Any, list[Any]] = {}
        for match in _find(glossary, target, output):
            if _is_rendering(match.surface, _own_forms(glossary, match.concept, target, occurrences), target):
                used.setdefault(match.concept.key, []).append(match)
        for occ in occurrences:
            matches = used.get(occ.key) or []
            rendering = glossary.rendering(occ.concept, target)
            if matches:
                match = matches.pop(0)
                shown = match.surface
                problem = russian.context_violation(_PLACEHOLDER_RE.sub("", output[:match.start]),
                                                    list(match.forms or ())) if target == "ru" else None
                if problem:
                    status = "misinflected"
                    outcome.warnings.append(
                        f"glossary term {occ.surface!r} ({occ.concept.msgid}) reads {shown!r}, a form "
                        f"its context rules out ({problem})")
                else:
                    status = "applied"
            else:
                status, shown = "missed", rendering
                outcome.warnings.append(
                    f"glossary term {occ.surface!r} ({occ.concept.msgid}) should read {rendering!r} "
                    "but the translation does not contain it")
            outcome.terms.append(TermReport(
                concept=occ.concept.msgid, category=occ.concept.category, source_start=occ.start,
                source_end=occ.end, source_text=occ.surface, rendering=shown, status=status,
                strategy=strategy if status != "missed" else ""))
        return outcome


# -- helpers -----------------------------------------------------------------------------------

def _identity(concept: Any) -> tuple[str, Any]:
    return (type(concept).__name__, concept.key)


def _find(glossary: Any, lang: str, text: str) -> list[Any]:
    """``glossary.matcher(lang).find(text)``, remembered for the call when ``glossary`` is one."""
    if isinstance(glossary, _Memo):
        return glossary.find(lang, text)
    return list(glossary.matcher(lang).find(text))


def _named(glossary: Any, target: str, text: str) -> Counter:
    """(concept key, in a form its context allows) of each glossary rendering in ``text``."""
    found: Counter = Counter()
    for match in _find(glossary, target, text):
        if _is_rendering(match.surface, _own_forms(glossary, match.concept, target, ()), target):
            fits = target != "ru" or not russian.context_violation(
                _PLACEHOLDER_RE.sub("", text[:match.start]), list(match.forms or ()))
            found[(match.concept.key, fits)] += 1
    return found


def _agree_gender(glossary: Any, text: str, persons: dict[Any, Any]) -> tuple[str, list[str]]:
    """(text, notes): a Russian verb or short adjective next to a nominative singular mention of
    one of the concepts ``persons`` (by key) agrees with that concept's gender."""
    notes = []
    for match in _find(glossary, "ru", text):
        concept = persons.get(match.concept.key)
        if concept is None or ("nom", "sg") not in (match.forms or ()):
            continue
        gender = russian.gender_of(concept.rendering("ru"))
        fixed, note = russian.agree_gender(text, match.start, match.end, gender or "")
        if note:
            text = fixed
            notes.append(f"gender agreement with {concept.msgid!r} ({gender}): {note}")
    return text, notes


def _likeness(glossary: Any, concept: Any, other: Any, langs: tuple[str, str]) -> int:
    """How alike two concepts are written (word counts in English and the hop's languages,
    acronym or not, first letter a vowel or not): a stand-in shaped like the term brings along
    the words a sentence has around such a term ("the", "во", "на"), and reads like it."""
    def shape(item: Any, lang: str) -> tuple[int, bool, bool]:
        text = glossary.rendering(item, lang) or ""
        return (len(text.split()), text.isupper(), text[:1].lower() in "aeiouаоуэиыеёюяв")
    return sum(a == b for lang in dict.fromkeys(("en", *langs))
               for a, b in zip(shape(concept, lang), shape(other, lang)))


def _article_start(text: str, start: int, lang: str) -> int:
    """Where a masked English term starts once its article goes with it: a placeholder stands
    for a name, and names take no article ("the ⟦0⟧" is not how placeholders are written)."""
    if lang == "en":
        found = re.search(r"\b[Tt]he\s+$", text[:start])
        if found:
            return found.start()
    return start


def _head_pieces(pieces: list[str], head_length: int) -> list[str]:
    """The pieces of a translation that make up its first ``head_length`` characters (cut at a
    word start; SentencePiece's "▁" is the space, and the text drops the leading one)."""
    position = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("\u2581") and position >= head_length:
            return pieces[:index]
        position += len(piece)
    return list(pieces)


def _fill_slots(output: str, slots: list[tuple[int, int, list[str]]], forms: list[str], target: str) -> str:
    """``output`` with each slot (start, end, _) replaced by its form, last first so that the
    offsets of earlier slots hold."""
    text = output
    for (start, end, _), form in sorted(zip(slots, forms), key=lambda item: -item[0][0]):
        if start == end and text[end:end + 1].isalnum():
            form += " "  # an insertion goes before the word that follows the missing term
        text = _splice(text, start, end, form, target)
    return text


def _unwrap(text: str, occurrences: list[Occurrence]) -> str:
    """``text`` without the markup placeholders that touch a term on either side."""
    drop: list[tuple[int, int]] = []
    for occ in occurrences:
        before = re.search(r"(?:⟦\d+⟧)+$", text[:occ.start])
        after = re.match(r"(?:⟦\d+⟧)+", text[occ.end:])
        if before:
            drop.append((before.start(), occ.start))
        if after:
            drop.append((occ.end, occ.end + after.end()))
    for start, end in sorted(drop, reverse=True):
        text = text[:start] + text[end:]
    return text


def _rewrap_markup(glossary: Any, target: str, source: str, occurrences: list[Occurrence], text: str) -> str:
    """Markup placeholders that sat right around a term in the source (``⟦0⟧Olga Lyubimova⟦1⟧``:
    ``<b>``, a link, ``**``) are put right around its rendering in the output, wherever the
    model left them (or dropped them), so the tags stay on the term."""
    wraps: list[tuple[Any, str, str]] = []
    for occ in occurrences:
        before = re.search(r"((?:⟦\d+⟧)+)$", source[:occ.start])
        after = re.match(r"(?:⟦\d+⟧)+", source[occ.end:])
        if before or after:
            wraps.append((occ.key, before.group(1) if before else "", after.group(0) if after else ""))
    if not wraps:
        return text
    matches = [m for m in _find(glossary, target, text)
               if _is_rendering(m.surface, glossary.forms(m.concept, target), target)]
    for key, opening, closing in wraps:
        match = next((m for m in matches if m.concept.key == key), None)
        if match is None:
            continue
        matches.remove(match)
        markers = _PLACEHOLDER_RE.findall(opening + closing)
        if text[:match.start].endswith(opening) and text[match.end:].startswith(closing):
            continue
        spans = [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text) if m.group(1) in markers]
        stripped, shift_start, shift_end, cursor = [], 0, 0, 0
        for start, end in spans:
            stripped.append(text[cursor:start])
            if end <= match.start:
                shift_start += end - start
            if end <= match.end:
                shift_end += end - start
            cursor = end
        stripped.append(text[cursor:])
        plain = "".join(stripped)
        start, end = match.start - shift_start, match.end - shift_end
        text = plain[:start] + opening + plain[start:end] + closing + plain[end:]
        text = re.sub(r"[ \t]{2,}", " ", text)
        matches = [m for m in _find(glossary, target, text)
                   if _is_rendering(m.surface, glossary.forms(m.concept, target), target)
                   and m.concept.key != key]
    return text



def _own_forms(glossary: Any, concept: Any, target: str, occurrences: Sequence[Occurrence]) -> list[str]:
    """The concept's forms, plus those of any occurrence given its own table (a short form)."""
    forms = glossary.forms(concept, target)
    extra = [f for o in occurrences if o.table and o.key == concept.key for f in o.table.values()]
    return forms + extra if extra else forms


def _is_rendering(surface: str, forms: list[str], target: str) -> bool:
    """Whether a recognised surface is the glossary's rendering as written, not a variant the
    matcher also accepts ("Kim Jong-un" is not "Kim Jong Un"). Only a sentence-initial capital
    and, in Russian, е for ё are let pass."""
    def key(text: str) -> str:
        text = text[:1].lower() + text[1:]
        return text.replace("ё", "е").replace("Ё", "Е") if target == "ru" else text
    return key(surface) in {key(f) for f in forms}


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


def _differs_once(masked: str, current: str) -> bool:
    """Whether two translations of a sentence differ in one stretch only (where the term is):
    then the words of ``current`` there are the model's words for the term."""
    a, b = _tokens(masked), _tokens(current)
    matcher = difflib.SequenceMatcher(a=[m.group(0) for m in a], b=[m.group(0) for m in b], autojunk=False)
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal") <= 1


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


_PREPOSITION_BEFORE = re.compile(r"(?:^|(?<=\W))(в|во|с|со|к|ко|о|об|В|Во|С|Со|К|Ко|О|Об)(\s+)$")


def _splice(text: str, start: int, end: int, form: str, target: str) -> str:
    form = _cased(form, text[:start], target)
    if target == "ru":
        found = _PREPOSITION_BEFORE.search(text[:start])
        if found:  # "во Владивосток" -> "в Чхонджин": the preposition follows the new word
            shaped = russian.preposition_for(found.group(1), form)
            text = text[:found.start(1)] + shaped + text[found.end(1):]
            shift = len(shaped) - len(found.group(1))
            start, end = start + shift, end + shift
    spliced = text[:start] + form + text[end:]
    if target == "ko":
        spliced = spliced[:start] + korean.fix_particles(spliced[start:], form)
    return spliced
