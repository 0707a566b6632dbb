"""Software placeholders in plain text (Weblate's ``[X12X]``, printf ``%s``/``%(name)s``, brace
fields ``{name}``/``{0}``) come back unchanged, each once, wherever the translation is asked for:
the library, ``/v1``, the LibreTranslate route (with the libretranslatepy client) and the CLI.

The demo models copy Glossa's own ``⟦n⟧`` placeholders (docs/demo-models.md), and the text
format hands the model exactly that for each software placeholder. So a held-out sentence with
software placeholders must translate exactly like the same sentence with literal ``⟦n⟧``
look-alikes, placeholders swapped back: expected values come from the pipeline, not by hand.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI

from scripts import demo_corpus
from service.formats import parse
from service.formats.base import Replacement
from service.pipeline import Pipeline
from support.server import glossary_copy, install_packages, running_server, settings_for

FORMS = ["[X12X]", "%s", "{name}", "%(count)d", "{0}", "[X3X]", "%1$s", "{{user}}"]
MARK = re.compile(r"⟦(\d+)⟧")


@pytest.fixture(scope="module")
def service(demo_models_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("text-placeholders")
    packages = install_packages(sorted(demo_models_dir.glob("*.argosmodel")), tmp / "packages")
    settings = settings_for(packages, glossary_copy(tmp / "glossary"))
    with running_server(settings) as url:
        yield url, Pipeline(settings), settings


def cases(source: str, target: str, n: int = 6) -> list[tuple[str, dict[str, str]]]:
    """Held-out sentences with ⟦n⟧ placeholders, and the software placeholder each stands for."""
    found = []
    for index, (text, _) in enumerate(demo_corpus.heldout(source, target, n=3 * n, placeholder_rate=1.0)):
        marks = MARK.findall(text)
        if marks:
            found.append((text, {f"⟦{m}⟧": FORMS[(int(m) + index) % len(FORMS)] for m in marks}))
    return found[:n]


def swap(text: str, forms: dict[str, str]) -> str:
    return MARK.sub(lambda m: forms.get(m.group(0), m.group(0)), text)


@pytest.mark.parametrize("text, protected", [
    ("Hello %s, you have %d new messages.", ["%s", "%d"]),
    ("Welcome [X12X] to [X3X]!", ["[X12X]", "[X3X]"]),
    ("Delete %(count)s files from %1$s now?", ["%(count)s", "%1$s"]),
    ("Hi {name}, {0} and {{count}} items in {user.name} cost {0:.2f} here", ["{name}", "{0}", "{{count}}",
                                                                            "{user.name}", "{0:.2f}"]),
    ("Prices fell 50% or more; 100 % done; {see below}; [X] marks; 100%% sure", ["%%"]),
])
def test_text_format_protects_software_placeholders_only(text: str, protected: list[str]) -> None:
    document = parse(text, "text")
    assert sorted(p for unit in document.units for p in unit.protected.values()) == sorted(protected)
    for unit in document.units:
        assert not any(form in unit.text for form in protected)  # the model sees ⟦n⟧ instead
    # Every sentence "translated" into itself gives back the source, byte for byte.
    same = [[Replacement(0, len(unit.text), unit.text)] for unit in document.units]
    assert document.render(same)[0] == text


def test_placeholders_survive_in_the_library_both_ways(service) -> None:
    _, library, _ = service
    for source, target in (("en", "ru"), ("ko", "en")):
        for text, forms in cases(source, target):
            looks = library.translate(text, source=source, target=target)
            result = library.translate(swap(text, forms), source=source, target=target)
            assert result.translation == swap(looks.translation, forms)
            for form in forms.values():
                assert result.translation.count(form) == 1, (form, result.translation)
            assert not any("markup" in w or "placeholders" in w for w in result.warnings), result.warnings


def test_placeholders_survive_over_v1_and_libretranslate(service) -> None:
    url, library, _ = service
    client = LibreTranslateAPI(url)
    for text, forms in cases("en", "ru", 4):
        weblate = swap(text, forms)
        expected = library.translate(weblate, source="en", target="ru").translation
        v1 = httpx.post(f"{url}/v1/translate", json={"text": weblate, "source": "en", "target": "ru"}, timeout=120)
        assert v1.status_code == 200, v1.text
        assert v1.json()["results"][0]["translation"] == expected
        assert client.translate(weblate, "en", "ru") == expected
        assert all(expected.count(form) == 1 for form in forms.values())


def test_placeholders_survive_on_the_cli(service) -> None:
    _, library, settings = service
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(settings.packages_dir),
           "GLOSSA_GLOSSARY_DIR": str(settings.glossary_dir)}
    text, forms = cases("ko", "en", 1)[0]
    weblate = swap(text, forms) + "\n"
    proc = subprocess.run([sys.executable, "-m", "service", "translate", "-s", "ko", "-t", "en"], input=weblate,
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == library.translate(weblate, source="ko", target="en").translation
    assert all(proc.stdout.count(form) == 1 for form in forms.values())


def test_each_sentence_gets_its_placeholders_numbered_from_zero(service) -> None:
    """A text's placeholders are numbered across the whole text, but the model sees each
    sentence's from ⟦0⟧ (as models trained with placeholders saw them): an article translates
    as its sentences do alone, every placeholder once and in its own sentence."""
    _, library, _ = service
    for source, target in (("en", "ru"), ("ko", "en")):
        pairs = cases(source, target, 3)
        sentences = [swap(text, {mark: f"[X{i}{j}X]" for j, mark in enumerate(forms)})
                     for i, (text, forms) in enumerate(pairs)]
        alone = [library.translate(s, source=source, target=target).translation for s in sentences]
        article = library.translate(" ".join(sentences), source=source, target=target)
        assert article.translation == " ".join(alone)
        for sentence, translated in zip(sentences, alone):
            for mark in re.findall(r"\[X\d+X\]", sentence):
                assert translated.count(mark) == 1 and article.translation.count(mark) == 1, (mark, translated)


def test_a_sentence_never_restores_another_sentences_markup() -> None:
    document = parse("Send %s now. Then wait for {name} here.", "text")
    unit = document.units[0]
    first, second = unit.text.index("Send"), unit.text.index("Then")
    # The second sentence's translation names the first sentence's placeholder and loses its own.
    outputs = [[Replacement(first, second - 1, "Отправьте ⟦0⟧ сейчас."),
                Replacement(second, len(unit.text), "Затем ждите ⟦0⟧ здесь.")]]
    text, _, warnings = document.render(outputs)
    assert text == "Отправьте %s сейчас. Затем ждите здесь. {name}"
    assert text.count("%s") == 1 and any("repeated or invented" in w for w in warnings)
