"""Turning bytes from a file, stdin or a request into text, with one clear error per bad case.

Every face (CLI, HTTP, batch) decodes through here so that empty, binary, invalid UTF-8 and
oversize inputs are refused the same way everywhere.
"""

from __future__ import annotations

from service.errors import InputError, InputTooLargeError

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
# Control characters other than tab, newline, carriage return and form feed mark binary data.
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}


def decode_text(data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode UTF-8 (BOM allowed); refuse what is not human text.

    Raises InputTooLargeError before decoding anything bigger than ``max_bytes``.
    """
    return validate_text(decode_bytes(data, name=name, max_bytes=max_bytes), name=name)


def decode_bytes(data: bytes, *, name: str = "input", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """``decode_text`` without the text checks, for callers whose text is checked next anyway
    (``Pipeline.read`` validates what it reads)."""
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"{name} is {len(data):,} bytes; the limit is {max_bytes:,}",
            hint="split the article, or raise the limit (GLOSSA_MAX_CHARS / --max-bytes)",
        )
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
    """Refuse empty, whitespace-only, oversize and control-character-laden text."""
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(f"{name} has {len(text):,} characters; the limit is {max_chars:,}")
    if not text.strip():
        raise InputError(f"{name} is empty" if not text else f"{name} contains only whitespace")
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ord(ch) not in _ALLOWED_CONTROLS)
    if controls > max(8, len(sample) // 100):
        raise InputError(f"{name} looks like binary data ({controls} control characters), not text")
    return text
