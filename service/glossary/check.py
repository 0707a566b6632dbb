"""``glossa glossary check``: everything that can be wrong with a glossary directory.

Errors (non-zero exit): unreadable or msgfmt-invalid files, a concept listed twice, a PO entry
with no concept in the POT, a surface (rendering or variant) claimed by two concepts in one
language, a rendering that recognition would not find again, bad structured comments.
Warnings: untranslated concepts, unknown categories, files polib would rewrite differently.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

from service.errors import GlossaryError
from service.glossary.journal import read_consistent
from service.glossary.pofile import parse_tolerant
from service.glossary.termbase import (
    CATEGORIES,
    POT_NAME,
    Termbase,
    po_languages,
    po_text,
)


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" | "warning"
    code: str
    message: str
    file: str = ""
    msgid: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "code": self.code, "message": self.message, "file": self.file, "msgid": self.msgid}

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{self.severity}: {where}{self.message} [{self.code}]"


def msgfmt_available() -> bool:
    return shutil.which("msgfmt") is not None


def run_checks(directory: Path, *, use_msgfmt: bool = True) -> list[Issue]:
    """Every issue of the folder. File names in messages are relative to the folder."""
    issues: list[Issue] = []
    langs: list[str | None] = [None, *po_languages(directory)]
    try:
        texts = read_consistent(directory, langs)
    except GlossaryError as exc:
        return [Issue("error", "unreadable", str(exc))]
    files: dict[str, polib.POFile] = {}
    for lang in langs:
        name = POT_NAME if lang is None else f"{lang}.po"
        if lang not in texts:
            issues.append(Issue("error", "missing_file", f"{name} does not exist", name))
            continue
        po, bad = parse_tolerant(texts[lang])
        files[name] = po
        for block in bad:
            issues.append(Issue("error", "unreadable_entry",
                                f"line {block.line}: entry skipped by readers ({block.error}); fix it in a PO "
                                "editor, or remove the concept", name, block.msgid or ""))
        if use_msgfmt and msgfmt_available():
            # Run in the folder on the file's name: messages must not show server paths.
            result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", name], capture_output=True,
                                    text=True, cwd=directory)
            if result.returncode != 0:
                detail = " ".join(result.stderr.split())[:500]
                issues.append(Issue("error", "msgfmt", f"msgfmt --check failed: {detail}", name))
        if not bad and po_text(po) != texts[lang]:
            issues.append(Issue("warning", "not_normalised", "not in polib's layout (line wrapping); the next glossa write will rewrap it", name))
    if POT_NAME not in files:
        return issues

    pot = files[POT_NAME]
    keys = Counter((e.msgctxt or "", e.msgid) for e in pot if e.msgid)
    for (category, msgid), count in keys.items():
        if count > 1:
            issues.append(Issue("error", "duplicate_concept", f"{msgid!r} ({category}) is listed {count} times", POT_NAME, msgid))
    by_folded: dict[tuple[str, str], set[str]] = {}
    for category, msgid in keys:
        by_folded.setdefault((category, msgid.casefold()), set()).add(msgid)
    for (category, _), spellings in by_folded.items():
        if len(spellings) > 1:
            issues.append(Issue("warning", "near_duplicate", f"terms differing only in case: {', '.join(sorted(spellings))} ({category})", POT_NAME))
    for entry in pot:
        if entry.msgid and (entry.msgctxt or "") not in CATEGORIES:
            issues.append(Issue("warning", "unknown_category", f"category {entry.msgctxt!r} is not one of {', '.join(CATEGORIES)}", POT_NAME, entry.msgid))
        if entry.msgid and not entry.obsolete and not entry.comment.strip():
            issues.append(Issue("warning", "no_note", "no note/source (extracted comment)", POT_NAME, entry.msgid))
    for name, po in files.items():
        if name == POT_NAME:
            continue
        for entry in po:
            if entry.msgid and (entry.msgctxt or "", entry.msgid) not in keys:
                issues.append(Issue("error", "orphan_entry", f"{entry.msgid!r} ({entry.msgctxt}) has no concept in {POT_NAME}", name, entry.msgid))

    termbase = Termbase.from_files({None: pot, **{n[:-3]: p for n, p in files.items() if n != POT_NAME}})
    for problem in termbase.problems:  # a bad structured comment: that rendering is skipped
        name, _, _ = problem.partition(" ")
        issues.append(Issue("error", "bad_comment", problem, name if name.endswith(".po") else ""))
    for concept in termbase.concepts():
        for lang in po_languages(directory):
            rendering = concept.renderings.get(lang)
            if rendering is None and lang != "en":
                issues.append(Issue("warning", "untranslated", f"no {lang} rendering", f"{lang}.po", concept.msgid))
            elif rendering is not None and rendering.text != rendering.text.strip():
                issues.append(Issue("error", "spaces", f"{lang} rendering {rendering.text!r} has surrounding spaces", f"{lang}.po", concept.msgid))
    issues += _recognition_issues(termbase, po_languages(directory))
    return issues


def _recognition_issues(termbase: Termbase, langs: list[str]) -> list[Issue]:
    from service.glossary.matcher import Matcher, normalize_key, surfaces_for

    issues: list[Issue] = []
    for lang in langs:
        matcher = Matcher(termbase, lang)
        owners: dict[str, set[tuple[str, str]]] = {}
        for concept in termbase.concepts():
            rendering = concept.rendering(lang)
            if rendering is None or rendering.fuzzy:
                continue
            explicit = set(rendering.surfaces()) | ({concept.msgid} if lang == "en" else set())
            for surface in explicit:
                owners.setdefault(normalize_key(surface), set()).add(concept.key)
                found = matcher.find(surface)
                whole = [m for m in found if m.start == 0 and m.end == len(surface)]
                if not whole or all(m.concept.key != concept.key and concept not in m.alternatives for m in whole):
                    got = ", ".join(f"{m.surface!r}->{m.concept.msgid!r}" for m in found) or "nothing"
                    issues.append(Issue("error", "not_recognised", f"{lang} {surface!r} is not found again by recognition (found {got})", f"{lang}.po", concept.msgid))
            # Generated forms that collide with another concept's are worth a look, not an error.
            for form, _ in surfaces_for(concept, lang):
                owners.setdefault(normalize_key(form), set()).add(concept.key)
        for key, claimed in owners.items():
            if len(claimed) > 1:
                names = ", ".join(sorted(m for _, m in claimed))
                # One issue per claimant, so that each concept (in the CLI, the API and the web
                # page) shows the conflict it is part of.
                for _, msgid in sorted(claimed):
                    issues.append(Issue("error", "shared_variant",
                                        f"{lang} {key!r} is claimed by several concepts: {names}", f"{lang}.po", msgid))
    return issues


# -- shared, cached runs (the HTTP endpoint) ---------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[tuple[str, bool], tuple[tuple, list[Issue]]] = {}


def _fingerprint(directory: Path) -> tuple:
    """What a check's answer depends on: every glossary file's name, size and modification time."""
    try:
        entries = sorted(p for p in directory.iterdir() if p.suffix in (".po", ".pot"))
        return tuple((p.name, st.st_size, st.st_mtime_ns, st.st_ino) for p in entries for st in [p.stat()])
    except OSError:
        return ()  # unreadable: run_checks reports it


def cached_checks(directory: Path, *, use_msgfmt: bool = True) -> list[Issue]:
    """``run_checks``, run once per version of the files: each run starts a msgfmt process per
    file, and 32 clients asking at once cut translation throughput by 98%. Concurrent callers
    wait for the one run in progress and share its answer."""
    key = (str(directory.resolve()), use_msgfmt)
    with _cache_lock:
        fingerprint = _fingerprint(directory)
        hit = _cache.get(key)
        if hit is not None and hit[0] == fingerprint and fingerprint:
            return list(hit[1])
        issues = run_checks(directory, use_msgfmt=use_msgfmt)
        _cache[key] = (fingerprint, issues)
        return list(issues)
