#!/usr/bin/env python3
"""How well glossary enforcement works, measured on the demo models.

For each case below, a rendering is changed in a temporary copy of the glossary (as a
terminologist would), held-out demo sentences that contain the concept are translated before and
after, and each sentence the model translated exactly *before* the change is checked *after* it
against the reference rewritten by hand-written rules (the new rendering in the same Russian case,
the Korean particle re-agreed, the English spelling swapped). Reported per case: sentences,
exact after the change, term occurrences applied / missed, and which strategies did the work.

    .venv/bin/python -m scripts.eval_enforcement [--sentences 40]

The demo models know only their synthetic vocabulary, so this measures the enforcement
machinery (placeholders, alignment, case choice, particles, pivot), not translation quality.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LANG_INDEX = {"en": 0, "ko": 1, "ru": 2}
LYUBIMTSEVA = {"Ольга Любимова": "Ольга Любимцева", "Ольги Любимовой": "Ольги Любимцевой",
               "Ольге Любимовой": "Ольге Любимцевой", "Ольгу Любимову": "Ольгу Любимцеву",
               "Ольгой Любимовой": "Ольгой Любимцевой"}


def replace_all(mapping: dict[str, str]) -> Callable[[str], str]:
    def rewrite(text: str) -> str:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
        return pattern.sub(lambda m: mapping[m.group(0)], text)
    return rewrite


def korean_respelling(old: str, new: str) -> Callable[[str], str]:
    from service.glossary import korean

    def rewrite(text: str) -> str:
        out, cursor = [], 0
        for match in re.finditer(re.escape(old), text):
            chain = korean.particle_after(text, match.end()) or ""
            out += [text[cursor:match.start()], new, korean.reagree(new, chain)]
            cursor = match.end() + len(chain)
        return "".join(out) + text[cursor:]
    return rewrite


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    target: str
    update: list[str]  # `glossa glossary update` arguments
    needle: str  # selects sentences (in the target reference)
    rewrite: Callable[[str], str]


def cases() -> list[Case]:
    kim_ru = replace_all({"Ким Чен Ын": "Ким Чон Ын"})
    return [
        Case("ru person, every case (en->ru)", "en", "ru", ["Olga Lyubimova", "--ru", "Ольга Любимцева"],
             "Любимов", replace_all(LYUBIMTSEVA)),
        Case("ru person through the pivot (ko->ru)", "ko", "ru", ["Kim Jong-un", "--ru", "Ким Чон Ын"],
             "Ким Чен Ын", kim_ru),
        Case("ru organisation, phrase (en->ru)", "en", "ru",
             ["Ministry of Culture", "--ru", "Министерство культуры России"], "Министерств",
             lambda t: re.sub(r"(Министерств\w*) культуры", r"\1 культуры России", t)),
        Case("ko person, particles flip (en->ko)", "en", "ko", ["Kim Jong-un", "--ko", "김정우"],
             "김정은", korean_respelling("김정은", "김정우")),
        Case("ko place, particles flip (ru->ko, pivot)", "ru", "ko", ["Pyongyang", "--ko", "평양시"],
             "평양", korean_respelling("평양", "평양시")),
        Case("en person (ru->en)", "ru", "en", ["Kim Jong-un", "--en", "Kim Jong Un"],
             "Kim Jong-un", replace_all({"Kim Jong-un": "Kim Jong Un"})),
        Case("en person through Korean (ko->en)", "ko", "en", ["Olga Lyubimova", "--en", "Olga Lubimova"],
             "Olga Lyubimova", replace_all({"Olga Lyubimova": "Olga Lubimova"})),
    ]


# --- new concepts --------------------------------------------------------------------------------
#
# Concepts that appear nowhere in the demo corpus, each standing for known concepts of the same
# kind and Russian gender. Hand-written Russian forms are the reference (the glossary itself gets
# only the nominative and the gender, as a terminologist would write it). Two splits: "tune"
# concepts and sentences were used while developing enforcement; "test" ones were not looked at.


@dataclass(frozen=True)
class NewConcept:
    split: str
    category: str
    en: str
    ko: str
    ru: tuple[str, ...]  # nom gen dat acc ins pre
    gender: str
    replaces: tuple[str, ...]  # demo corpus entity ids

    def forms(self) -> dict[str, str]:
        return dict(zip(("nom", "gen", "dat", "acc", "ins", "pre"), self.ru))


def _declined(nom: str, gen: str, dat: str, acc: str, ins: str, pre: str) -> tuple[str, ...]:
    return (nom, gen, dat, acc, ins, pre)


NEW_CONCEPTS = (
    # tune
    NewConcept("tune", "person", "Pak Jong-chon", "박정천",
               _declined("Пак Чон Чхон", "Пак Чон Чхона", "Пак Чон Чхону", "Пак Чон Чхона", "Пак Чон Чхоном",
                         "Пак Чон Чхоне"), "m", ("kim-jong-un",)),
    NewConcept("tune", "person", "Hyon Song-wol", "현송월", ("Хён Сон Воль",) * 6, "f",
               ("kim-ju-ae", "choe-son-hui")),
    NewConcept("tune", "person", "Maxim Reshetnikov", "막심 레셰트니코프",
               _declined("Максим Решетников", "Максима Решетникова", "Максиму Решетникову", "Максима Решетникова",
                         "Максимом Решетниковым", "Максиме Решетникове"), "m",
               ("sergei-lavrov", "vladimir-putin", "alexander-matsegora")),
    NewConcept("tune", "person", "Tatyana Golikova", "타티야나 골리코바",
               _declined("Татьяна Голикова", "Татьяны Голиковой", "Татьяне Голиковой", "Татьяну Голикову",
                         "Татьяной Голиковой", "Татьяне Голиковой"), "f", ("olga-lyubimova",)),
    NewConcept("tune", "place", "Chongjin", "청진",
               _declined("Чхонджин", "Чхонджина", "Чхонджину", "Чхонджин", "Чхонджином", "Чхонджине"), "m",
               ("pyongyang", "seoul", "beijing")),
    NewConcept("tune", "place", "Samara", "사마라",
               _declined("Самара", "Самары", "Самаре", "Самару", "Самарой", "Самаре"), "f", ("moscow",)),
    NewConcept("tune", "organization", "Ministry of Foreign Trade", "대외경제성",
               _declined("Министерство внешней торговли", "Министерства внешней торговли",
                         "Министерству внешней торговли", "Министерство внешней торговли",
                         "Министерством внешней торговли", "Министерстве внешней торговли"), "n",
               ("ministry-of-culture",)),
    NewConcept("tune", "title", "Trade Minister", "무역상",
               _declined("министр торговли", "министра торговли", "министру торговли", "министра торговли",
                         "министром торговли", "министре торговли"), "m", ("culture-minister",)),
    # test (held out)
    NewConcept("test", "person", "Kim Tok-hun", "김덕훈",
               _declined("Ким Ток Хун", "Ким Ток Хуна", "Ким Ток Хуну", "Ким Ток Хуна", "Ким Ток Хуном",
                         "Ким Ток Хуне"), "m", ("kim-jong-un",)),
    NewConcept("test", "person", "Ri Sol-ju", "리설주", ("Ли Соль Чжу",) * 6, "f", ("kim-ju-ae", "choe-son-hui")),
    NewConcept("test", "person", "Denis Manturov", "데니스 만투로프",
               _declined("Денис Мантуров", "Дениса Мантурова", "Денису Мантурову", "Дениса Мантурова",
                         "Денисом Мантуровым", "Денисе Мантурове"), "m",
               ("sergei-lavrov", "vladimir-putin", "alexander-matsegora")),
    NewConcept("test", "person", "Vera Kuznetsova", "베라 쿠즈네초바",
               _declined("Вера Кузнецова", "Веры Кузнецовой", "Вере Кузнецовой", "Веру Кузнецову",
                         "Верой Кузнецовой", "Вере Кузнецовой"), "f", ("olga-lyubimova",)),
    NewConcept("test", "place", "Hamhung", "함흥",
               _declined("Хамхын", "Хамхына", "Хамхыну", "Хамхын", "Хамхыном", "Хамхыне"), "m",
               ("pyongyang", "seoul", "beijing")),
    NewConcept("test", "place", "Kazan", "카잔",
               _declined("Казань", "Казани", "Казани", "Казань", "Казанью", "Казани"), "f", ("moscow",)),
    NewConcept("test", "organization", "Ministry of Public Health", "보건성",
               _declined("Министерство здравоохранения", "Министерства здравоохранения",
                         "Министерству здравоохранения", "Министерство здравоохранения",
                         "Министерством здравоохранения", "Министерстве здравоохранения"), "n",
               ("ministry-of-culture",)),
    NewConcept("test", "title", "Finance Minister", "재정상",
               _declined("министр финансов", "министра финансов", "министру финансов", "министра финансов",
                         "министром финансов", "министре финансов"), "m", ("culture-minister",)),
)
ALL_DIRECTIONS = (("en", "ko"), ("ko", "en"), ("en", "ru"), ("ru", "en"), ("ko", "ru"), ("ru", "ko"))


def _sentence_split(sentence_en: str) -> str:
    """A stable half of the held-out sentences for tuning, the other for the report."""
    import zlib

    return "tune" if zlib.crc32(sentence_en.encode("utf-8")) % 2 == 0 else "test"


def substitute(text: str, lang: str, old, new: NewConcept) -> tuple[str, list[str]]:
    """``text`` with every mention of demo entity ``old`` replaced by ``new`` (Russian: the same
    case; Korean: particles re-agreed), and the forms of ``new`` written, in order."""
    from service.glossary import korean

    if lang == "en":
        mapping = {spelling: new.en for spelling in (old.en, *old.en_variants)}
    elif lang == "ko":
        mapping = {spelling: new.ko for spelling in (old.ko, *old.ko_variants)}
    else:
        mapping = {}
        for case, form in old.ru_forms.items():
            mapping.setdefault(form, new.forms()[case])
            mapping.setdefault(form[:1].upper() + form[1:], new.forms()[case][:1].upper() + new.forms()[case][1:])
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    out, written, cursor = [], [], 0
    for match in pattern.finditer(text):
        if match.start() < cursor:
            continue
        word = mapping[match.group(0)]
        before = text[cursor:match.start()]
        if lang == "ru":  # "об Александре" but "о Денисе": the preposition follows the new word
            vowel = word[:1].lower() in "аоуэиы"
            before = re.sub(r"(?<!\w)([Оо])(б?) $", lambda m, v=vowel: m.group(1) + ("б" if v else "") + " ", before)
        out += [before, word]
        cursor = match.end()
        if lang == "ko":
            chain = korean.particle_after(text, match.end()) or ""
            out.append(korean.reagree(word, chain))
            cursor += len(chain)
        written.append(word)
    return "".join(out) + text[cursor:], written


def add_new_concepts(glossary_dir: Path) -> None:
    from service.glossary.store import GlossaryStore
    from service.glossary.termbase import Concept, Rendering

    GlossaryStore(glossary_dir).import_concepts([
        Concept(msgid=c.en, category=c.category, renderings={
            "en": Rendering(text=c.en), "ko": Rendering(text=c.ko),
            "ru": Rendering(text=c.ru[0], gender=c.gender if c.category == "person" else None,
                            indeclinable=len(set(c.ru)) == 1)})
        for c in NEW_CONCEPTS])


def run_new_concepts(args: argparse.Namespace) -> int:
    from scripts import demo_corpus as corpus
    from service.config import Settings
    from service.models.store import ModelStore
    from service.pipeline import Pipeline, TranslationRequest

    concepts = [c for c in NEW_CONCEPTS if c.split == args.split]
    work = Path(tempfile.mkdtemp(prefix="glossa-eval-new-"))
    try:
        settings = Settings(packages_dir=work / "packages")
        store = ModelStore(settings)
        for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
            store.install_file(archive)
        plain_dir, new_dir = work / "glossary", work / "glossary-new"
        shutil.copytree(REPO / "glossaries", plain_dir)
        shutil.copytree(REPO / "glossaries", new_dir)
        add_new_concepts(new_dir)
        before = Pipeline(replace(settings, glossary_dir=plain_dir))
        after = Pipeline(replace(settings, glossary_dir=new_dir))
        pool = [s for s in corpus.sentence_sets(args.pool, 29, heldout=True, placeholder_rate=0.0)
                if _sentence_split(s.canonical[0]) == args.split]
        print(f"new concepts, split {args.split!r}: {len(concepts)} concepts, {len(pool)} held-out sentences "
              f"in the pool, up to {args.sentences} per concept and direction")
        header = f"{'direction':10} {'sent.':>5} {'terms':>5} {'exact form':>11} {'dropped':>7} {'misinfl.':>8} " \
                 f"{'sent. exact':>12}  strategies"
        print(header)
        totals: Counter = Counter()
        failures: list[str] = []
        for src, tgt in ALL_DIRECTIONS:
            cases = []
            for concept in concepts:
                chosen = [s for s in pool if set(s.entity_ids) & set(concept.replaces)]
                for sentence in chosen[:args.sentences]:
                    cases.append((concept, sentence))
            originals = before.translate_many([
                TranslationRequest(s.source[LANG_INDEX[src]], tgt, src) for _, s in cases])
            kept, requests, references, expected = [], [], [], []
            for (concept, sentence), original in zip(cases, originals):
                if original.translation != sentence.canonical[LANG_INDEX[tgt]]:
                    continue  # the model's own slip, not enforcement's
                old = next(corpus.BY_ID[i] for i in sentence.entity_ids if i in concept.replaces)
                source, _ = substitute(sentence.source[LANG_INDEX[src]], src, old, concept)
                reference, written = substitute(sentence.canonical[LANG_INDEX[tgt]], tgt, old, concept)
                kept.append(concept)
                requests.append(TranslationRequest(source, tgt, src))
                references.append(reference)
                expected.append(written)
            results = after.translate_many(requests)
            row: Counter = Counter()
            strategies: Counter = Counter()
            for concept, request, reference, written, result in zip(kept, requests, references, expected, results):
                row["sentences"] += 1
                row["exact_sentences"] += result.translation == reference
                row["terms"] += len(written)
                out = result.translation
                found = Counter()
                for form in written:
                    if out.count(form) > found[form]:
                        found[form] += 1
                row["exact_forms"] += sum(found.values())
                forms = {concept.en} if tgt == "en" else {concept.ko} if tgt == "ko" else set(concept.ru)
                if not any(f in out for f in forms) and not any(f[:1].upper() + f[1:] in out for f in forms):
                    row["dropped"] += len(written)
                for term in result.terms:
                    if term.concept == concept.en:
                        row["misinflected"] += term.status == "misinflected"
                        strategies.update(term.strategy.split("+") if term.strategy else ["-"])
                if result.translation != reference and len(failures) < args.show:
                    failures.append(f"[{src}->{tgt}] {request.text}\n   expected {reference}\n   got      {out}")
            totals.update(row)
            print(f"{src + '->' + tgt:10} {row['sentences']:5} {row['terms']:5} "
                  f"{_pct(row['exact_forms'], row['terms']):>11} {row['dropped']:7} {row['misinflected']:8} "
                  f"{_pct(row['exact_sentences'], row['sentences']):>12}  "
                  + ", ".join(f"{k} {v}" for k, v in strategies.most_common()))
        exact_forms = _pct(totals["exact_forms"], totals["terms"])
        exact_sentences = _pct(totals["exact_sentences"], totals["sentences"])
        print(f"{'all':10} {totals['sentences']:5} {totals['terms']:5} {exact_forms:>11} "
              f"{totals['dropped']:7} {totals['misinflected']:8} {exact_sentences:>12}")
        for failure in failures:
            print(failure)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=40, help="held-out sentences per case (default 40)")
    parser.add_argument("--mode", choices=("changed", "new-concepts"), default="changed",
                        help="changed renderings of known concepts (default), or concepts the models never saw")
    parser.add_argument("--split", choices=("tune", "test"), default="test",
                        help="new concepts: the split to report (tune was used while developing)")
    parser.add_argument("--pool", type=int, default=3000, help="new concepts: held-out sentences generated")
    parser.add_argument("--show", type=int, default=0, help="new concepts: print this many failures")
    args = parser.parse_args()
    if args.mode == "new-concepts":
        return run_new_concepts(args)

    import subprocess

    from scripts import demo_corpus
    from service.config import Settings
    from service.models.store import ModelStore
    from service.pipeline import Pipeline, TranslationRequest

    corpus = demo_corpus
    work = Path(tempfile.mkdtemp(prefix="glossa-eval-"))
    try:
        settings = Settings(packages_dir=work / "packages")
        store = ModelStore(settings)
        for archive in sorted((REPO / "models" / "demo").glob("*.argosmodel")):
            store.install_file(archive)
        pool = corpus.triples(6000, 23, heldout=True, placeholder_rate=0.0)
        print(f"{'case':44} {'sent.':>5} {'exact':>7} {'applied':>8} {'missed':>6}  strategies")
        totals = Counter()
        for number, case in enumerate(cases()):
            glossary_dir = work / f"glossary-{number}"
            shutil.copytree(REPO / "glossaries", glossary_dir)
            pipeline = Pipeline(replace(settings, glossary_dir=glossary_dir))
            chosen = [t for t in pool if case.needle in t[LANG_INDEX[case.target]]][:args.sentences]
            requests = [TranslationRequest(t[LANG_INDEX[case.source]], case.target, case.source) for t in chosen]
            before = pipeline.translate_many(requests)
            subprocess.run([sys.executable, "-m", "service", "glossary", "--dir", str(glossary_dir), "update",
                            *case.update], check=True, capture_output=True)
            after = pipeline.translate_many(requests)
            concept = case.update[0]
            compared = exact = applied = missed = 0
            strategies: Counter = Counter()
            for triple, old, new in zip(chosen, before, after):
                reference = triple[LANG_INDEX[case.target]]
                if old.translation != reference:
                    continue  # the model's own slip, not enforcement's
                compared += 1
                exact += new.translation == case.rewrite(reference)
                for term in new.terms:
                    if term.concept == concept:
                        applied += term.status == "applied"
                        missed += term.status == "missed"
                        strategies.update(term.strategy.split("+") if term.strategy else ["-"])
            totals.update(compared=compared, exact=exact, applied=applied, missed=missed)
            shown = ", ".join(f"{k} {v}" for k, v in strategies.most_common())
            print(f"{case.name:44} {compared:5} {exact:4}/{compared:<3} {applied:8} {missed:6}  {shown}")
        print(f"{'all':44} {totals['compared']:5} {totals['exact']:4}/{totals['compared']:<3} "
              f"{totals['applied']:8} {totals['missed']:6}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
