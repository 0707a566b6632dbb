"""CTranslate2 + SentencePiece inference over installed Argos packages.

The engine translates, scores and force-decodes token sequences; it knows nothing of documents,
languages or glossaries. What it adds over calling CTranslate2 by hand:

- one ``ctranslate2.Translator`` and one SentencePiece processor per package, loaded on first use
  under a lock and shared by every thread (both are safe to call concurrently), kept until
  ``release``;
- every sentence of a call goes to the model together: one ``translate_batch`` with
  ``batch_type="tokens"`` per group of sentences with the same decoding bound (an article has a
  handful of such groups). CTranslate2 itself sorts the examples longest-first, cuts them into
  padding-aware token batches (``batch_size * longest <= max_batch_size``) and returns results in
  input order (``rebatch_input`` in its ``batch_reader.cc``), so the engine does not sort again.
  Grouping by bound matters because CTranslate2 takes one ``max_decoding_length`` per call: in a
  single call every output that fails to end would run to the longest sentence's bound;
- ``max_batch_tokens`` counts tokens as the decoder holds them, every beam's copy included: a
  decode batch gets ``max_batch_tokens // beam`` source tokens (``batch_source_tokens``), a
  scoring batch (one copy) all of them. The decoder's memory (each beam's keys and values per
  layer, regrown every step) is what makes a service's peak RSS, and it grows with beams x tokens
  (docs/benchmarks.md, "Memory");
- an LRU cache of results keyed by (package, decoding options, source), and duplicates inside a
  call decoded once;
- Argos's decoding defaults (beam 4, length_penalty 0.2, replace_unknowns) and Argos's handling of a
  metadata ``target_prefix`` token (forced first, stripped from the output).

Differences from argostranslate, on purpose: the output length is bounded relative to the input
(Argos lets every sentence run to 256 tokens), and "_" is not turned into a space on decoding
(Argos does, which mangles names and identifiers that contain underscores).
"""

from __future__ import annotations

import ctypes
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.config import Settings
from service.errors import PackageError

if TYPE_CHECKING:  # both are imported lazily: `import service` must stay light
    import ctranslate2
    import sentencepiece

    from service.models.package import InstalledPackage

__all__ = ["ARGOS_LENGTH_PENALTY", "Engine", "Hypothesis", "batch_source_tokens", "bound_groups", "decoding_bound"]

ARGOS_LENGTH_PENALTY = 0.2
# Output length bound: a translation is rarely more than twice as many pieces as its source
# (ko->en is the widest of our pairs, about 1.5x); the constant covers very short inputs. The cap
# keeps one degenerate input from decoding for minutes; sources longer than 1024 pieces are
# truncated by CTranslate2 anyway (its max_input_length).
_LENGTH_RATIO = 2
_LENGTH_SLACK = 10
_MAX_DECODING_CAP = 512
# Sentences whose bounds round up to the same multiple of this many pieces share a model call.
_BOUND_STEP = 16
_SPACE_MARK = "\u2581"  # SentencePiece's "▁"


def decoding_bound(source_len: int, prefix_len: int = 0) -> int:
    """The most target pieces decoded for a source of ``source_len`` pieces (prefix included)."""
    return min(_MAX_DECODING_CAP, prefix_len + _LENGTH_RATIO * source_len + _LENGTH_SLACK)


def batch_source_tokens(max_batch_tokens: int, beam_size: int) -> int:
    """CTranslate2's ``max_batch_size`` (source tokens) for a decode with ``beam_size`` beams, so
    that a batch holds at most ``max_batch_tokens`` tokens across its beams (see the module
    docstring: memory follows beams x tokens; benchmarks give raw CTranslate2 the same value)."""
    return max(1, max_batch_tokens // max(1, beam_size))


def bound_groups(bounds: Sequence[int]) -> dict[int, list[int]]:
    """Sentence indices by shared decoding bound: each bound rounded up to a multiple of
    ``_BOUND_STEP`` pieces. One ``translate_batch`` per group (CTranslate2 takes a single
    ``max_decoding_length`` per call); benchmarks bound every contender the same way."""
    groups: dict[int, list[int]] = {}
    for index, bound in enumerate(bounds):
        groups.setdefault(-(-bound // _BOUND_STEP) * _BOUND_STEP, []).append(index)
    return groups


@dataclass(frozen=True)
class Hypothesis:
    tokens: list[str]
    text: str  # detokenized
    # CTranslate2's hypothesis score: the sum of token log-probabilities divided by
    # length ** length_penalty (so higher is better); None unless return_scores was asked.
    score: float | None


@dataclass(frozen=True)
class _Loaded:
    translator: "ctranslate2.Translator"
    sp: "sentencepiece.SentencePieceProcessor"
    prefix: tuple[str, ...]  # the package's metadata target_prefix token, or ()


# A cached hypothesis: tuples, so no caller can mutate what the cache holds.
_CachedHyp = tuple[tuple[str, ...], str, float]


class _LRU:
    """A thread-safe LRU map with hit/miss counters (capacity 0 disables caching)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any) -> None:
        if self.capacity <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


def _return_freed_memory() -> None:
    """Give the pages of a released model back to the system: glibc keeps freed heap memory for
    reuse, so without ``malloc_trim`` a released model's 100 MB stay resident. No-op where the C
    library has no ``malloc_trim`` (musl, macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


class Engine:
    """Loaded translators, batching, cache and scoring. Safe to share between threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loaded: dict[str, _Loaded] = {}
        self._load_lock = threading.Lock()
        self._cache = _LRU(settings.cache_size)
        self._stats_lock = threading.Lock()
        self._model_calls = 0  # decode or score requests to a model
        self._batch_calls = 0  # translate_batch calls they took (one per decoding-bound group)
        self._sentences_decoded = 0
        self._pieces_decoded = 0  # target pieces CTranslate2 returned: the decoding work done
        self._sentences_scored = 0

    # -- loading ------------------------------------------------------------------------------

    def _load(self, package: "InstalledPackage") -> _Loaded:
        loaded = self._loaded.get(package.key)
        if loaded is not None:
            return loaded
        with self._load_lock:
            loaded = self._loaded.get(package.key)
            if loaded is None:
                loaded = self._load_package(package)
                self._loaded[package.key] = loaded
        return loaded

    def is_loaded(self, package: "InstalledPackage") -> bool:
        return package.key in self._loaded

    def release(self, package: "InstalledPackage") -> None:
        """Forget a loaded package so its memory can return to the system; a call still using it
        finishes with it, and the next use loads it again."""
        with self._load_lock:
            released = self._loaded.pop(package.key, None)
        if released is not None:
            del released  # the last reference unless a call is still using it
            _return_freed_memory()

    def _load_package(self, package: "InstalledPackage") -> _Loaded:
        import ctranslate2
        import sentencepiece

        s = self.settings
        try:
            translator = ctranslate2.Translator(
                str(package.model_dir),
                device=s.device,
                compute_type=s.compute_type,
                inter_threads=s.inter_threads,
                intra_threads=s.intra_threads,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise PackageError(
                f"cannot load the {package.pair} model from {package.model_dir}: {exc}",
                hint="reinstall the package (glossa models install) or check GLOSSA_DEVICE/GLOSSA_COMPUTE_TYPE",
            ) from None
        try:
            sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sp_model_path))
        except (RuntimeError, OSError) as exc:
            raise PackageError(f"cannot load {package.sp_model_path}: {exc}") from None
        prefix = (package.target_prefix,) if package.target_prefix else ()
        return _Loaded(translator, sp, prefix)

    # -- SentencePiece ------------------------------------------------------------------------

    def tokenize(self, package: "InstalledPackage", texts: list[str]) -> list[list[str]]:
        """SentencePiece pieces of each text, as Argos encodes them."""
        sp = self._load(package).sp
        return [sp.encode(text, out_type=str) if text else [] for text in texts]

    def detokenize(self, package: "InstalledPackage", tokens: list[list[str]]) -> list[str]:
        """Text of each piece sequence; a metadata target-prefix token at the start is dropped."""
        loaded = self._load(package)
        return [self._detok(loaded, seq) for seq in tokens]

    @staticmethod
    def _detok(loaded: _Loaded, tokens: Sequence[str]) -> str:
        tokens = list(tokens)
        if loaded.prefix and tokens[:1] == list(loaded.prefix):
            tokens = tokens[1:]
        # decode_pieces leaves "▁" inside pieces the vocabulary lacks (what replace_unknowns copies
        # from the source), hence the second replacement.
        text = loaded.sp.decode_pieces(tokens).replace(_SPACE_MARK, " ")
        return text[1:] if text.startswith(" ") else text

    # -- translation --------------------------------------------------------------------------

    def translate(self, package: "InstalledPackage", sentences: list[str]) -> list[str]:
        """Translate sentences (one model call for all that are not cached); input order kept.

        Empty or whitespace-only sentences map to "" without the model.
        """
        beam = self.settings.beam_size
        options = ("text", beam, ARGOS_LENGTH_PENALTY)
        out: list[str | None] = [None] * len(sentences)
        todo: dict[str, list[int]] = {}  # distinct uncached sentence -> its positions
        for i, sentence in enumerate(sentences):
            if not sentence or sentence.isspace():
                out[i] = ""
                continue
            if sentence in todo:
                todo[sentence].append(i)
                continue
            cached = self._cache.get((package.key, options, sentence))
            if cached is not None:
                out[i] = cached
            else:
                todo[sentence] = [i]
        if todo:
            # Text SentencePiece encodes to nothing (a zero-width space, a BOM) translates to "".
            tokenized = dict(zip(todo, self.tokenize(package, list(todo))))
            for sentence in [s for s, tokens in tokenized.items() if not tokens]:
                for i in todo.pop(sentence):
                    out[i] = ""
        if todo:
            distinct = list(todo)
            results = self._decode(package, [tokenized[s] for s in distinct], None, beam_size=beam,
                                   num_hypotheses=1, max_decoding_length=None)
            for sentence, hyps in zip(distinct, results):
                text = hyps[0][1]
                self._cache.put((package.key, options, sentence), text)
                for i in todo[sentence]:
                    out[i] = text
        return [text if text is not None else "" for text in out]

    def translate_tokens(
        self,
        package: "InstalledPackage",
        sources: list[list[str]],
        *,
        target_prefix: list[list[str]] | None = None,
        num_hypotheses: int = 1,
        beam_size: int | None = None,
        max_decoding_length: int | None = None,
        return_scores: bool = False,
    ) -> list[list[Hypothesis]]:
        """Decode piece sequences, optionally forcing each output to start with a prefix.

        ``target_prefix[i]`` (pieces, may be empty) is forced at the start of output ``i`` and is
        part of the returned tokens and text; the package's own metadata prefix token is added
        before it and removed after. ``max_decoding_length`` (None: ``decoding_bound``) counts
        target pieces including the forced prefix. An empty source with no prefix gives one empty
        hypothesis without calling the model. Results are cached like ``translate``'s.
        """
        if target_prefix is not None and len(target_prefix) != len(sources):
            raise ValueError(
                f"target_prefix has {len(target_prefix)} entries for {len(sources)} sources"
            )
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be >= 1")
        beam = max(beam_size or self.settings.beam_size, num_hypotheses)
        options = ("tokens", beam, num_hypotheses, ARGOS_LENGTH_PENALTY, max_decoding_length)
        prefixes = [tuple(p or ()) for p in target_prefix] if target_prefix else [()] * len(sources)

        out: list[list[_CachedHyp] | None] = [None] * len(sources)
        todo: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
        for i, (src, prefix) in enumerate(zip(sources, prefixes)):
            item = (tuple(src), prefix)
            if not src and not prefix:
                out[i] = [((), "", 0.0)] * num_hypotheses
                continue
            if item in todo:
                todo[item].append(i)
                continue
            cached = self._cache.get((package.key, options, item))
            if cached is not None:
                out[i] = cached
            else:
                todo[item] = [i]
        if todo:
            distinct = list(todo)
            results = self._decode(
                package,
                [list(src) for src, _ in distinct],
                [list(prefix) for _, prefix in distinct],
                beam_size=beam,
                num_hypotheses=num_hypotheses,
                max_decoding_length=max_decoding_length,
            )
            for item, hyps in zip(distinct, results):
                self._cache.put((package.key, options, item), hyps)
                for i in todo[item]:
                    out[i] = hyps
        return [
            [Hypothesis(list(t), text, score if return_scores else None) for t, text, score in hyps]
            for hyps in out
            if hyps is not None
        ]

    def _decode(
        self,
        package: "InstalledPackage",
        sources: list[list[str]],
        prefixes: list[list[str]] | None,
        *,
        beam_size: int,
        num_hypotheses: int,
        max_decoding_length: int | None,
    ) -> list[list[_CachedHyp]]:
        """One translate_batch over all ``sources``; no cache. Hypotheses as cacheable tuples."""
        loaded = self._load(package)
        user_prefixes = prefixes or [[] for _ in sources]
        full_prefixes = [list(loaded.prefix) + p for p in user_prefixes]
        # Each sentence's own bound. CTranslate2 takes one max_decoding_length per call, so the
        # sentences are grouped by bound (rounded up to a multiple of _BOUND_STEP pieces) and each
        # group gets its own call: a short sentence never runs to a long neighbour's bound (it
        # would, whenever an output fails to end: looping output, random weights). Longer outputs
        # are cut back to their own bound, so a sentence decodes the same alone or in any batch.
        bounds = [
            max_decoding_length or decoding_bound(len(src), len(prefix))
            for src, prefix in zip(sources, full_prefixes)
        ]
        groups = bound_groups(bounds)
        results: list[Any] = [None] * len(sources)
        for group_bound, indices in sorted(groups.items()):
            group_prefixes = [full_prefixes[i] for i in indices]
            for i, result in zip(indices, loaded.translator.translate_batch(
                [sources[i] for i in indices],
                target_prefix=group_prefixes if any(group_prefixes) else None,
                max_batch_size=batch_source_tokens(self.settings.max_batch_tokens, beam_size),
                batch_type="tokens",
                beam_size=beam_size,
                num_hypotheses=num_hypotheses,
                length_penalty=ARGOS_LENGTH_PENALTY,
                replace_unknowns=True,
                max_decoding_length=group_bound,
                return_scores=True,
            )):
                results[i] = result
        with self._stats_lock:
            self._model_calls += 1
            self._batch_calls += len(groups)
            self._sentences_decoded += len(sources)
            self._pieces_decoded += sum(len(hyp) for result in results for hyp in result.hypotheses)
        decoded: list[list[_CachedHyp]] = []
        for result, bound in zip(results, bounds):
            hyps: list[_CachedHyp] = []
            # CTranslate2 gives no score for an empty source; 0.0 keeps the shapes aligned.
            scores = list(result.scores) or [0.0] * len(result.hypotheses)
            for tokens, score in zip(result.hypotheses, scores):
                tokens = tokens[:bound]
                if loaded.prefix and tokens[: len(loaded.prefix)] == list(loaded.prefix):
                    tokens = tokens[len(loaded.prefix) :]
                hyps.append((tuple(tokens), self._detok(loaded, tokens), float(score)))
            decoded.append(hyps)
        return decoded

    # -- scoring ------------------------------------------------------------------------------

    def score(self, package: "InstalledPackage", sources: list[str], targets: list[str]) -> list[float]:
        """``score_tokens`` of the texts' SentencePiece pieces."""
        return self.score_tokens(package, self.tokenize(package, sources), self.tokenize(package, targets))

    def score_tokens(
        self, package: "InstalledPackage", sources: list[list[str]], targets: list[list[str]]
    ) -> list[float]:
        """How likely the model finds each target given its source: the MEAN log-probability per
        target piece, the end-of-sentence piece included (higher is better; 0 is certain).

        The mean, not the sum, so that candidates of different lengths (inflected forms of a
        term) compare fairly. A metadata target-prefix token is forced and not scored. All pairs
        go to one ``score_batch`` call; scores are not cached.
        """
        if len(sources) != len(targets):
            raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
        if not sources:
            return []
        loaded = self._load(package)
        prefix = list(loaded.prefix)
        results = loaded.translator.score_batch(
            [list(s) for s in sources],
            [prefix + list(t) for t in targets],
            max_batch_size=self.settings.max_batch_tokens,
            batch_type="tokens",
            offset=len(prefix),
        )
        with self._stats_lock:
            self._model_calls += 1
            self._sentences_scored += len(sources)
        return [sum(r.log_probs) / len(r.log_probs) if r.log_probs else 0.0 for r in results]

    # -- introspection ------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counters for /metrics and tests: cache, loaded models, model calls, sentences."""
        with self._stats_lock:
            return {
                "loaded_models": sorted(self._loaded),
                "cache_hits": self._cache.hits,
                "cache_misses": self._cache.misses,
                "cache_entries": len(self._cache),
                "cache_capacity": self._cache.capacity,
                "model_calls": self._model_calls,
                "translate_batch_calls": self._batch_calls,
                "sentences_translated": self._sentences_decoded,
                "pieces_decoded": self._pieces_decoded,
                "sentences_scored": self._sentences_scored,
            }
