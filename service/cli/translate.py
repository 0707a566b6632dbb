"""`glossa translate`: one article from a file or stdin, or many as JSON lines."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import click

from service.config import Settings
from service.errors import GlossaError, InputError, InputTooLargeError
from service.fileio import atomic_write_text
from service.formats import FORMATS, format_for_path
from service.inputs import decode_bytes, decode_text
from service.languages import check_language_code
from service.pipeline import Pipeline
from service.results import TranslationRequest, TranslationResult

_JSONL_CHUNK = 64


def read_input(path: str, settings: Settings) -> tuple[str, str]:
    """(text, name) from a path or '-' (stdin), decoded the one shared way (the pipeline then
    validates the text, naming it ``name``)."""
    max_bytes = settings.max_chars * 4  # UTF-8 needs at most 4 bytes per character
    size: int | None = None
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "standard input"
    else:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{path} is a directory", hint="use `glossa batch DIR -o OUT -t ru` for folders")
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
                size = os.fstat(handle.fileno()).st_size or None  # 0 for pipes and devices
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        name = path
    if len(data) > max_bytes:  # certainly too long, whatever the encoding: refused before decoding
        amount = f"{size:,} bytes" if size and size > max_bytes else f"more than {max_bytes:,} bytes"
        raise InputTooLargeError(f"{name} is {amount}, over the limit of {settings.max_chars:,} characters",
                                 hint="split the article, or raise the limit with --max-chars N or GLOSSA_MAX_CHARS")
    return decode_bytes(data, name=name, max_bytes=max_bytes), name  # checked as text by the pipeline


def check_output(output: str | None) -> None:
    """Refuse an -o path that cannot be written before any work is done: a folder, or a path
    under a file (which the write would otherwise report as an internal error)."""
    if output is None:
        return
    target = Path(output)
    if target.is_dir():
        raise InputError(f"-o {output} is a folder; give a file name")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"-o {output}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK):
                raise InputError(f"-o {output}: the folder {parent} is not writable")
            break


def format_for(path: str, requested: str) -> str:
    if requested != "auto":
        return requested
    return (format_for_path(path) or "text") if path != "-" else "text"


@click.command(
    "translate",
    epilog="""\b
Examples:
  glossa translate -t ru samples/articles/en/kim-visit.txt
  echo 'Kim Jong-un visited Moscow.' | glossa translate -s en -t ko
  glossa translate -t en --json article.md          # result, detected language, terms, warnings
  glossa translate --jsonl samples/requests.jsonl -t ru   # {"id","text","source"?,"target"?} per line
\b
Source `auto` (the default) detects the language per article and paragraph and refuses languages
Glossa does not translate. Korean <-> Russian goes through English. Glossary terms are enforced
unless --no-glossary is given; every term occurrence is reported with --json.""",
)
@click.argument("input_path", metavar="[FILE|-]", default="-")
@click.option("-t", "--target", required=True, help="Target language: en, ko or ru.")
@click.option("-s", "--source", default="auto", show_default=True, help="Source language: auto, en, ko or ru.")
@click.option("-f", "--format", "fmt", type=click.Choice(["auto", *FORMATS]), default="auto",
              show_default=True, help="Input format; auto picks by file extension (.md, .html), else text.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as one JSON object.")
@click.option("--jsonl", "as_jsonl", is_flag=True,
              help="Read JSON lines ({id, text, source?, target?, format?}) and write one result per line.")
@click.option("--no-glossary", is_flag=True, help="Do not enforce glossary renderings.")
@click.option("-g", "--glossary", "glossary_name", metavar="NAME",
              help="Also enforce the named glossary NAME; its terms override the house glossary's.")
@click.option("--no-house-glossary", is_flag=True, help="With --glossary: enforce the named glossary only.")
@click.option("--force-source", is_flag=True,
              help="Translate from the given --source even when the text contradicts it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the translation here instead of stdout.")
@click.option("--max-chars", type=click.IntRange(1), metavar="N",
              help="Refuse articles longer than N characters. [default: GLOSSA_MAX_CHARS or 1,000,000]")
def translate(input_path: str, target: str, source: str, fmt: str, as_json: bool, as_jsonl: bool,
              no_glossary: bool, glossary_name: str | None, no_house_glossary: bool, force_source: bool,
              output: str | None, max_chars: int | None) -> int:
    """Translate an article (FILE, or standard input when FILE is - or absent)."""
    settings = Settings.from_env()
    if max_chars is not None:
        settings = replace(settings, max_chars=max_chars)
    check_output(output)
    target = check_language_code(target, "target")
    if source != "auto":
        source = check_language_code(source, "source")
    if input_path == "-" and sys.stdin.isatty():
        raise InputError("no input: give a FILE or pipe text into standard input",
                         hint="e.g. glossa translate -t ru article.txt")
    pipeline = Pipeline(settings)
    glossary: bool | str = False if no_glossary else (glossary_name or True)
    pipeline.glossary_view(glossary, not no_house_glossary)  # an unknown name: refused before reading
    if as_jsonl:
        return _translate_jsonl(pipeline, input_path, target, source, fmt, glossary, output,
                                force_source, house=not no_house_glossary)

    text, name = read_input(input_path, settings)
    result = pipeline.translate(text, target=target, source=source, format=format_for(input_path, fmt),
                                glossary=glossary, force_source=force_source, name=name,
                                house_glossary=not no_house_glossary)
    if as_json:
        rendered = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        for warning in result.warnings:
            click.echo(f"glossa: warning: {warning}", err=True)
        rendered = result.translation if result.translation.endswith("\n") else result.translation + "\n"
    _write(rendered, output)
    return 0


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic_write_text(Path(output), text)
    except OSError as exc:
        raise InputError(f"cannot write {output} ({exc.strerror or exc})") from None


def _translate_jsonl(pipeline: Pipeline, input_path: str, target: str, source: str, fmt: str,
                     glossary: bool | str, output: str | None, force_source: bool = False, *,
                     house: bool = True) -> int:
    """Each line is independent: a bad line gets an error object, the others are translated.
    Lines are translated in chunks so that their sentences share engine batches."""
    stream = sys.stdin.buffer if input_path == "-" else None
    if stream is None:
        try:
            stream = open(input_path, "rb")
        except OSError as exc:
            raise InputError(f"{input_path}: cannot read ({exc.strerror})") from None
    try:
        out: IO[str] = sys.stdout if output is None else open(output, "w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output} ({exc.strerror or exc})") from None
    failures = 0
    try:
        chunk: list[tuple[Any, TranslationRequest | GlossaError]] = []
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            chunk.append(_parse_line(raw, number, target, source, fmt, glossary, force_source, house))
            if len(chunk) >= _JSONL_CHUNK:
                failures += _flush(pipeline, chunk, out)
                chunk = []
        failures += _flush(pipeline, chunk, out)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        if out is not sys.stdout:
            out.close()
    return 1 if failures else 0


def _glossary_field(value: object) -> bool | str:
    """A JSONL line's "glossary": true/false, or a named glossary's name."""
    return value if isinstance(value, str) else bool(value)


def _parse_line(raw: bytes, number: int, target: str, source: str, fmt: str, glossary: bool | str,
                force_source: bool = False, house: bool = True) -> tuple[Any, TranslationRequest | GlossaError]:
    try:
        item = json.loads(decode_text(raw, name=f"line {number}"))
    except GlossaError as exc:
        return number, exc
    except json.JSONDecodeError as exc:
        return number, InputError(f"line {number} is not valid JSON: {exc.msg}")
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return item.get("id", number) if isinstance(item, dict) else number, InputError(
            f"line {number} needs an object with a string \"text\"")
    key = item.get("id", number)
    try:
        request = TranslationRequest(
            text=item["text"],
            target=str(item.get("target") or target),
            source=str(item.get("source") or source),
            format=str(item.get("format") or ("text" if fmt == "auto" else fmt)),
            glossary=_glossary_field(item.get("glossary", glossary)),
            force_source=bool(item.get("force_source", force_source)),
            house_glossary=bool(item.get("house_glossary", house)),
        )
    except (TypeError, ValueError) as exc:
        return key, InputError(f"line {number}: {exc}")
    return key, request


def _flush(pipeline: Pipeline, chunk: list[tuple[Any, TranslationRequest | GlossaError]], out: IO[str]) -> int:
    if not chunk:
        return 0
    good = [req for _, req in chunk if not isinstance(req, GlossaError)]
    translated = iter(pipeline.translate_each(good))  # one bad line never spoils the others
    failures = 0
    for key, req in chunk:
        outcome = req if isinstance(req, GlossaError) else next(translated)
        if isinstance(outcome, TranslationResult):
            record = {"id": key, **outcome.to_dict()}
        elif isinstance(outcome, GlossaError):
            record, failures = _error_record(key, outcome), failures + 1
        else:
            raise outcome  # a bug: the CLI reports it as one
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return failures


def _error_record(key: Any, exc: GlossaError) -> dict[str, Any]:
    return {"id": key, "error": {"code": exc.code, "message": str(exc)}}
