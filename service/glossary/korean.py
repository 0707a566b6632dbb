"""Korean particles whose form depends on the last syllable of the word they follow.

Hangul syllables are composed as 0xAC00 + (initial * 21 + medial) * 28 + final; final 0 means the
syllable ends in a vowel, final 8 is ㄹ (which takes 로, not 으로).
"""

from __future__ import annotations

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_FINAL_RIEUL = 8

# (after a consonant, after a vowel).
PARTICLE_PAIRS: tuple[tuple[str, str], ...] = (
    ("으로", "로"),
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이며", "며"),
    ("이다", "다"),
)
# Particles whose form never changes.
INVARIANT_PARTICLES: tuple[str, ...] = ("에서", "에게", "에", "의", "도", "만", "까지", "부터", "하고")


def final_consonant(word: str) -> int | None:
    """Index of the final consonant (jongseong) of the word's last Hangul syllable.

    0 means it ends in a vowel; None means the last character is not a Hangul syllable (Latin
    letters or digits: callers fall back to the consonant form, as Korean style guides do for
    unknown readings).
    """
    word = word.rstrip()
    if not word:
        return None
    code = ord(word[-1])
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    return (code - _HANGUL_FIRST) % 28


def has_batchim(word: str) -> bool:
    final = final_consonant(word)
    return final is None or final != 0


def particle_for(word: str, particle: str) -> str:
    """The form of ``particle`` (either member of a pair) that agrees with ``word``.

    >>> particle_for("평양", "는"), particle_for("모스크바", "은"), particle_for("서울", "으로")
    ('은', '는', '로')
    """
    for consonant_form, vowel_form in PARTICLE_PAIRS:
        if particle in (consonant_form, vowel_form):
            final = final_consonant(word)
            if consonant_form == "으로":
                vowel_like = final == 0 or final == _FINAL_RIEUL
                return vowel_form if vowel_like else consonant_form
            return vowel_form if final == 0 else consonant_form
    return particle


def attach(word: str, particle: str) -> str:
    """``word`` followed by the agreeing form of ``particle`` (no space, as Korean writes it)."""
    return word + particle_for(word, particle)


def fix_particles(text: str, word: str) -> str:
    """``text`` begins with ``word``; re-choose the particle attached right after it, if any.

    Used after a rendering replaces whatever the model wrote: "⟦0⟧는" filled with "평양" must
    read "평양은". Only a particle glued to the word (no space) is touched.
    """
    if not text.startswith(word):
        return text
    rest = text[len(word):]
    for form in _FORMS_LONGEST_FIRST:
        if rest.startswith(form):
            return word + particle_for(word, form) + rest[len(form):]
    return text


_FORMS_LONGEST_FIRST = sorted({f for pair in PARTICLE_PAIRS for f in pair}, key=len, reverse=True)
