"""Korean particles: recognised after a term, and re-chosen after a new rendering."""

from __future__ import annotations

import pytest

from service.glossary.korean import particle_after, reagree


@pytest.mark.parametrize("text,end,expected", [
    ("평양에서 회의가 열렸다", 2, "에서"),
    ("조선중앙통신은 보도했다", 6, "은"),
    ("주애가 참석했다", 2, "가"),
    ("평양에서는, 그러나", 2, "에서는"),
    ("평양과의 관계", 2, "과의"),
    ("김정은이었다.", 3, "이었다"),
    ("평양.", 2, ""),
    ("평양", 2, ""),
    ("평양시에서", 2, None),  # 평양시 is another word
    ("러시아군이", 3, None),
])
def test_particle_after(text: str, end: int, expected: str | None) -> None:
    assert particle_after(text, end) == expected


@pytest.mark.parametrize("word,particles,expected", [
    ("김정은", "가", "이"),          # consonant-final: 이, not 가
    ("모스크바", "은", "는"),         # vowel-final: 는
    ("모스크바", "으로", "로"),
    ("서울", "으로부터", "로부터"),    # ㄹ-final takes 로
    ("평양", "와의", "과의"),
    ("러시아", "을", "를"),
    ("푸틴", "에서는", "에서는"),     # invariant particles stay
    ("푸틴", "", ""),
    ("KCNA", "는", "은"),            # unknown reading: the consonant form, as style guides say
])
def test_reagree(word: str, particles: str, expected: str) -> None:
    assert reagree(word, particles) == expected


def test_fix_particles_after_a_new_rendering() -> None:
    from service.glossary.korean import fix_particles

    assert fix_particles("김정은가 평양에 갔다. 김정은를 만났다. 김정은 위원장", "김정은") == \
        "김정은이 평양에 갔다. 김정은을 만났다. 김정은 위원장"
    assert fix_particles("모스크바으로 향했다", "모스크바") == "모스크바로 향했다"
    # Inside a longer word nothing changes (the 주애 of 김주애 is not the rendering 주애).
    assert fix_particles("김주애가 왔다", "주애") == "김주애가 왔다"
