"""`glossa detect`: identify the language of a text, or of each line of a JSON Lines stream."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from service.detect import detect as detect_language
from service.errors import InputError
from service.inputs import decode_text


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        with open(source, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None


def _jsonl_result(line: str, number: int) -> dict[str, Any]:
    """One output object per input line; a bad line becomes an error object, never an exception."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return _line_error(None, number, f"not valid JSON ({exc.msg})")
    if not isinstance(record, dict):
        return _line_error(None, number, "expected a JSON object with a \"text\" field")
    has_id = "id" in record
    text = record.get("text")
    if not isinstance(text, str):
        message = "missing \"text\" field" if text is None else "\"text\" must be a string"
        return _line_error(record.get("id"), number, message, has_id=has_id)
    result = detect_language(text).to_dict()
    return {"id": record["id"], **result} if has_id else result


def _line_error(record_id: Any, number: int, message: str, *, has_id: bool = False) -> dict[str, Any]:
    error = {"error": {"code": InputError.code, "message": f"line {number}: {message}"}}
    return {"id": record_id, **error} if has_id or record_id is not None else error


@click.command("detect")
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--json", "as_json", is_flag=True, help="Print the detection as a JSON object.")
@click.option("--jsonl", is_flag=True,
              help="Read JSON lines with \"text\" (and optional \"id\"); write one result per line.")
def detect(source: str, as_json: bool, jsonl: bool) -> None:
    """Identify the language of FILE (or stdin).

    Prints the ISO 639-1 code and a confidence between 0 and 1; languages Glossa cannot translate
    (anything but en, ko, ru) are marked "unsupported", and "und" means there was nothing to go on.

    \b
    Examples:
      glossa detect article.txt                 ko 0.999
      echo 'Президент України' | glossa detect  uk 0.88 unsupported
      glossa detect --jsonl feed.jsonl          {"id": 7, "language": "ru", ...} per line
    """
    if as_json and jsonl:
        raise InputError("--json and --jsonl cannot be combined")
    name = "stdin" if source == "-" else source
    data = _read_input(source)
    if jsonl:
        text = decode_text(data, name=name)
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                click.echo(json.dumps(_jsonl_result(line, number), ensure_ascii=False))
        return

    result = detect_language(decode_text(data, name=name))
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    suffix = "" if result.supported or result.language == "und" else " unsupported"
    click.echo(f"{result.language} {result.confidence:g}{suffix}")
