"""Turning bytes from a file, stdin or a request into text, with one clear error per bad case.

Every face (CLI, HTTP, batch) decodes through here so that empty, binary, invalid UTF-8 and
oversize inputs are refused the same way everywhere.
"""

from __future__ import annotations

import re

from service.errors import InputError, InputTooLargeError

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
# Control characters other than tab, newline, carriage return and form feed mark binary data.
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
# Code points that are not characters: lone surrogates (JSON and Python strings can carry them,
# UTF-8 cannot; SentencePiece raises on them inside a shared engine batch) and the 66 Unicode
# non-characters (U+FDD0..U+FDEF and the last two code points of every plane).
_NOT_CHARACTERS = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


def decode_text(data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode UTF-8 (BOM allowed); refuse what is not human text.

    Raises InputTooLargeError before decoding anything bigger than ``max_bytes`` (callers that
    read at most ``max_bytes + 1`` bytes report the real size themselves when they know it).
    """
    return validate_text(decode_bytes(data, name=name, max_bytes=max_bytes), name=name)


def decode_bytes(data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """``decode_text`` without the text checks, for callers whose text is checked next anyway
    (``Pipeline.read`` validates what it reads)."""
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{name} is more than {max_bytes:,} bytes; the limit is {max_bytes:,}",
                                 hint="split the article, or raise GLOSSA_MAX_CHARS")
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if b"\x00" in data[:65536]:
        raise InputError(f"{name} looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line})",
            hint="convert it first, e.g. iconv -f CP1251 -t UTF-8 (Russian) or -f CP949 (Korean)",
        ) from None
    return text


def validate_text(text: str, *, name: str = "input", max_chars: int | None = None) -> str:
    """Refuse empty, whitespace-only, oversize, control-character-laden text and text holding
    code points that are not characters (lone surrogates, non-characters)."""
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(f"{name} has {len(text):,} characters; the limit is {max_chars:,}")
    if not text.strip():
        raise InputError(f"{name} is empty" if not text else f"{name} contains only whitespace")
    bad = _NOT_CHARACTERS.search(text)
    if bad is not None:
        surrogate = "\ud800" <= bad.group() <= "\udfff"
        raise InputError(
            f"{name} contains {'a lone surrogate' if surrogate else 'a Unicode non-character'} "
            f"(U+{ord(bad.group()):04X} at character {bad.start()}), which is not text",
            hint="a surrogate is only valid as half of a pair, e.g. \\ud83d\\ude00" if surrogate else None,
        )
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ord(ch) not in _ALLOWED_CONTROLS)
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{name} looks like binary data ({controls} control characters), not text")
    return text
