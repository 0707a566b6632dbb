"""Korean particles whose form depends on the last syllable of the word they follow.

Hangul syllables are composed as 0xAC00 + (initial * 21 + medial) * 28 + final; final 0 means the
syllable ends in a vowel, final 8 is ㄹ (which takes 로, not 으로).
"""

from __future__ import annotations

import re

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


# --- recognition: a term followed by particles ---------------------------------------------------

# Pairs that agree with the preceding syllable, beyond the core ones above, as they appear after
# names in news copy (the consonant form first).
EXTRA_PARTICLE_PAIRS: tuple[tuple[str, str], ...] = (
    ("으로서", "로서"),
    ("으로써", "로써"),
    ("으로부터", "로부터"),
    ("이라는", "라는"),
    ("이라고", "라고"),
    ("이라며", "라며"),
    ("이었다", "였다"),
    ("이지만", "지만"),
    ("과의", "와의"),
    ("으로의", "로의"),
)
EXTRA_INVARIANT_PARTICLES: tuple[str, ...] = (
    "에서의", "에서는", "에서도", "에게는", "에게서", "에는", "에도", "에의", "께서", "께", "한테",
    "처럼", "보다", "마저", "조차", "뿐", "측", "간", "과도", "와도", "으로는", "로는", "에서부터",
)


def _all_particles() -> tuple[str, ...]:
    forms: set[str] = set(INVARIANT_PARTICLES) | set(EXTRA_INVARIANT_PARTICLES)
    for pair in PARTICLE_PAIRS + EXTRA_PARTICLE_PAIRS:
        forms.update(pair)
    # Longest first so that 에서는 is taken whole rather than as 에서 + 는.
    return tuple(sorted(forms, key=lambda p: (-len(p), p)))


ALL_PARTICLES: tuple[str, ...] = _all_particles()
# One alternation, longest first (the regex engine tries alternatives in order).
_PARTICLE_RE = re.compile("|".join(ALL_PARTICLES))


def is_hangul(ch: str) -> bool:
    return bool(ch) and (_HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST or 0x3131 <= ord(ch) <= 0x318E)


def particle_after(text: str, end: int, *, max_particles: int = 2) -> str | None:
    """The particle(s) written right after ``text[:end]``, or None when none is there.

    Returns "" when the term ends at a word boundary (space, punctuation, end of text), the
    particle string ("에서", "에서는", "과의") when particles close the word, and None when other
    Hangul follows (then the term is only part of a longer word: 평양시, 러시아군).
    """
    taken, pos = "", end
    for _ in range(max_particles):
        if pos >= len(text) or not is_hangul(text[pos]):
            return taken
        found = _PARTICLE_RE.match(text, pos)
        if found is None:
            return None
        taken, pos = taken + found.group(), found.end()
    return taken if pos >= len(text) or not is_hangul(text[pos]) else None


def particle_variants(particles: str) -> tuple[str, ...]:
    """Every way ``particles`` may be written after some word: both allomorphs of the first
    particle, the rest of the chain unchanged ("은" -> ("은", "는"), "과의" -> ("과의", "와의"))."""
    for consonant_form, vowel_form in sorted(PARTICLE_PAIRS + EXTRA_PARTICLE_PAIRS, key=lambda p: -len(p[0])):
        for form in (consonant_form, vowel_form):
            if particles.startswith(form):
                rest = particles[len(form):]
                return (consonant_form + rest, vowel_form + rest)
    return (particles,) if particles else ()


def reagree(word: str, particles: str) -> str:
    """``particles`` (as found after some other word) re-chosen to agree with ``word``.

    Only the first particle depends on the preceding syllable: "김정은" + "가" -> "이",
    "모스크바" + "으로" -> "로"; later ones in a chain (에서는, 과의) are kept.
    """
    if not particles:
        return particles
    for consonant_form, vowel_form in sorted(PARTICLE_PAIRS + EXTRA_PARTICLE_PAIRS, key=lambda p: -len(p[0])):
        for form in (consonant_form, vowel_form):
            if particles.startswith(form):
                rest = particles[len(form):]
                final = final_consonant(word)
                if consonant_form.startswith("으로"):
                    vowel_like = final == 0 or final == _FINAL_RIEUL
                else:
                    vowel_like = final == 0
                return (vowel_form if vowel_like else consonant_form) + rest
    return particles


def fix_particles(text: str, word: str) -> str:
    """Re-choose the particles after every standalone occurrence of ``word`` in ``text``.

    Used after a rendering has been put into a translation: "푸틴이 말했다" with the rendering
    "푸틴" stays, but a model that produced "김정은가" gets "김정은이".
    """
    if not word:
        return text
    out: list[str] = []
    cursor = 0
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start > 0 else ""
        chain = particle_after(text, end) if not is_hangul(before) else None
        if chain:
            out.append(text[cursor:end] + reagree(word, chain))
            cursor = end + len(chain)
        start = text.find(word, max(end, cursor))
    out.append(text[cursor:])
    return "".join(out)
