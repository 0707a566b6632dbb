"""What a glossary change means for translations already made.

A glossary version is a hash of its files, so any edit (even a note) changes it. To re-translate
only what an edit affects, each run keeps a small snapshot of the glossary it used: per concept, a
fingerprint of its identity and one of its rendering in each language. Comparing the snapshot a
file was translated with to the current one gives the concepts that changed *in the languages
that file's translation depends on* (its source, its target, and English, the pivot); the file
is re-translated only when it contains one of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from service.fileio import atomic_write_text

SNAPSHOT_DIR = ".glossa-batch"
_IDENTITY = "_"  # fingerprint slot for category, term and retirement

Fingerprints = dict[str, dict[str, str]]  # concept key -> {"_" or language -> fingerprint}


def concept_key(category: str, msgid: str) -> str:
    """A concept's key as a string (categories are fixed words without ':')."""
    return f"{category}:{msgid}"


def _digest(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=list).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:12]


def fingerprints(termbase: Any) -> Fingerprints:
    """Fingerprints of every concept (retired ones too: retiring one is a change)."""
    result: Fingerprints = {}
    for concept in termbase.concepts(include_retired=True):
        entry = {_IDENTITY: _digest([concept.category, concept.msgid, concept.retired])}
        for lang, rendering in concept.renderings.items():
            fields = asdict(rendering)
            fields.pop("comment", None)  # translators' free notes change nothing in the output
            entry[lang] = _digest(fields)
        result[concept_key(concept.category, concept.msgid)] = entry
    return result


def changed_concepts(old: Fingerprints, new: Fingerprints, languages: set[str]) -> set[str]:
    """Concepts added, removed, or changed in one of ``languages`` between two snapshots."""
    slots = {_IDENTITY, *languages}
    changed = set()
    for key in old.keys() | new.keys():
        before, after = old.get(key, {}), new.get(key, {})
        if any(before.get(slot) != after.get(slot) for slot in slots):
            changed.add(key)
    return changed


def snapshot_path(out_dir: Path, version: str) -> Path:
    return Path(out_dir) / SNAPSHOT_DIR / f"glossary-{version}.json"


def save_snapshot(out_dir: Path, version: str, prints: Fingerprints) -> None:
    path = snapshot_path(out_dir, version)
    if not path.exists():
        atomic_write_text(path, json.dumps({"version": version, "concepts": prints}, ensure_ascii=False))


def load_snapshot(out_dir: Path, version: str) -> Fingerprints | None:
    """The snapshot of ``version``, or None when it is gone or unreadable (then every file
    translated with that version counts as affected)."""
    try:
        data = json.loads(snapshot_path(out_dir, version).read_text(encoding="utf-8"))
        concepts = data["concepts"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return concepts if isinstance(concepts, dict) else None


def prune_snapshots(out_dir: Path, keep: set[str]) -> None:
    """Remove snapshots no manifest record refers to any more."""
    for path in (Path(out_dir) / SNAPSHOT_DIR).glob("glossary-*.json"):
        if path.stem[len("glossary-"):] not in keep:
            try:
                path.unlink()
            except OSError:
                pass
