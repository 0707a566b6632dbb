"""Checking and unpacking ``.argosmodel`` archives before anything reaches the package directory.

An archive is accepted only if it is a zip with exactly one top folder holding a valid
``metadata.json``, ``model/model.bin`` and ``sentencepiece.model``, every member unpacks with a
correct CRC, and CTranslate2 and SentencePiece both load the result.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from service.errors import PackageError
from service.models.package import InstalledPackage, read_package

REQUIRED_MEMBERS = ("metadata.json", "model/model.bin", "sentencepiece.model")
# ISO 639 codes as Argos uses them ("en", "pt_BR", "zt"); anything else is not a language code.
_LANG_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def inspect_archive(path: Path) -> tuple[str, dict]:
    """Validate the archive's structure and metadata without unpacking; return (top folder, metadata)."""
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path} is not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            top = _single_top_folder(path, infos)
            names = {info.filename.rstrip("/") for info in infos}
            missing = [m for m in REQUIRED_MEMBERS if f"{top}/{m}" not in names]
            if missing:
                raise PackageError(
                    f"{path} is not an Argos translation package: {', '.join(missing)} missing"
                )
            raw_meta = zf.read(f"{top}/metadata.json")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PackageError(f"{path} is a corrupt archive: {exc}") from None
    return top, _check_metadata(path, raw_meta)


def _single_top_folder(path: Path, infos: list[zipfile.ZipInfo]) -> str:
    if not infos:
        raise PackageError(f"{path} is an empty archive")
    tops: set[str] = set()
    for info in infos:
        member = PurePosixPath(info.filename)
        if member.is_absolute() or ".." in member.parts or "\\" in info.filename:
            raise PackageError(f"{path} has an unsafe member path: {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"{path} contains a symbolic link: {info.filename!r}")
        if len(member.parts) == 1 and not info.is_dir():
            raise PackageError(
                f"{path} is not an Argos package: {info.filename!r} lies outside a top folder"
            )
        tops.add(member.parts[0])
    if len(tops) != 1:
        shown = ", ".join(sorted(tops)[:5])
        raise PackageError(f"{path} must hold exactly one top folder, found {len(tops)}: {shown}")
    top = tops.pop()
    if top.startswith("."):
        raise PackageError(f"{path}: top folder {top!r} must not be hidden")
    return top


def _check_metadata(path: Path, raw: bytes) -> dict:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"{path}: metadata.json is not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{path}: metadata.json must hold a JSON object")
    if meta.get("type", "translate") != "translate":
        raise PackageError(f"{path} is a {meta.get('type')!r} package, not a translation model")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not _LANG_CODE.fullmatch(value):
            raise PackageError(f"{path}: metadata.json has no valid {key} (got {value!r})")
    if meta["from_code"] == meta["to_code"]:
        raise PackageError(f"{path}: metadata.json translates {meta['from_code']} into itself")
    return meta


def unpack(path: Path, top: str, staging: Path) -> Path:
    """Extract into ``staging`` (a fresh directory) and return the unpacked package folder."""
    with zipfile.ZipFile(path) as zf:
        needed = sum(info.file_size for info in zf.infolist())
        free = shutil.disk_usage(staging).free
        if needed > free:
            raise PackageError(
                f"{path} needs {needed / 1e6:.1f} MB unpacked, only {free / 1e6:.1f} MB free"
            )
        try:
            # Reading every member checks its CRC, so a damaged archive fails here.
            zf.extractall(staging)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise PackageError(f"{path} is a corrupt archive: {exc}") from None
    return staging / top


def check_loadable(pkg_dir: Path) -> InstalledPackage:
    """Read the unpacked package and load it with CTranslate2 and SentencePiece (on CPU)."""
    package = read_package(pkg_dir)
    import ctranslate2
    import sentencepiece

    try:
        translator = ctranslate2.Translator(
            str(package.model_dir), device="cpu", compute_type="default", intra_threads=1
        )
        del translator
    except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError with its own text
        raise PackageError(f"CTranslate2 cannot load the model in {pkg_dir.name}: {exc}") from None
    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package.sp_model_path))
    except Exception as exc:  # sentencepiece raises OSError or RuntimeError
        raise PackageError(f"{pkg_dir.name}/sentencepiece.model cannot be loaded: {exc}") from None
    return package
