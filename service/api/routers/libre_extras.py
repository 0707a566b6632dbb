"""The rest of LibreTranslate's surface: /translate_file (+ /download_file), /frontend/settings,
/spec and /suggest, so front ends and plugins written for LibreTranslate find what they probe for.

Translated files are kept in a private temporary folder of the running app for
``FILE_TTL_S`` seconds (at most ``MAX_KEPT_FILES``), like LibreTranslate's download links; they
are never written next to anything the user owns.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from service import SUPPORTED_LANGUAGES
from service.api.dependencies import check_translate_key, get_state
from service.api.state import AppState
from service.api.translating import translate_texts
from service.batch.scan import FORMATS_BY_EXTENSION
from service.errors import InputError, NotFoundError, SuggestionsDisabledError

router = APIRouter(tags=["LibreTranslate-compatible"])

FILE_TTL_S = 30 * 60
MAX_KEPT_FILES = 256
FILE_SUFFIXES = tuple(FORMATS_BY_EXTENSION)


class TranslatedFiles:
    """Download links for translated files: random names in a private folder, expiring."""

    def __init__(self) -> None:
        self._dir: Path | None = None
        self._lock = threading.Lock()

    def _folder(self) -> Path:
        with self._lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="glossa-files-"))
            return self._dir

    def keep(self, name: str, text: str) -> str:
        folder = self._folder()
        self._expire(folder)
        stored = f"{secrets.token_hex(16)}.{Path(name).name}"
        (folder / stored).write_text(text, encoding="utf-8")
        return stored

    def path(self, stored: str) -> Path:
        folder = self._folder()
        candidate = folder / Path(stored).name
        if Path(stored).name != stored or not candidate.is_file():
            raise NotFoundError("no such translated file (download links expire after 30 minutes)")
        return candidate

    @staticmethod
    def _expire(folder: Path) -> None:
        files = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        now = time.time()
        for index, old in enumerate(files):
            if now - old.stat().st_mtime > FILE_TTL_S or len(files) - index >= MAX_KEPT_FILES:
                old.unlink(missing_ok=True)


def _files(state: AppState) -> TranslatedFiles:
    files = getattr(state, "libre_files", None)
    if files is None:
        files = TranslatedFiles()
        state.libre_files = files  # type: ignore[attr-defined]  # made on first use, kept with the app
    return files


@router.post("/translate_file")
async def lt_translate_file(request: Request, state: AppState = Depends(get_state)) -> dict:
    """Multipart ``file`` (.txt, .md, .html) with ``source`` and ``target``; answers a download URL."""
    form = await request.form()
    key = form.get("api_key")
    check_translate_key(request, state, key if isinstance(key, str) else None)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InputError("file is missing: send the file as multipart field 'file'")
    name = os.path.basename(upload.filename or "")
    if not name.lower().endswith(FILE_SUFFIXES):
        raise InputError(f"{name or 'the file'}: only {', '.join(FILE_SUFFIXES)} files are translated")
    raw = await upload.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    source = form.get("source") if isinstance(form.get("source"), str) else "auto"
    target = form.get("target") if isinstance(form.get("target"), str) else ""
    result = (await translate_texts(state, [text], source=str(source), target=str(target),
                                    format=FORMATS_BY_EXTENSION[Path(name).suffix.lower()]))[0]
    stored = _files(state).keep(name, result.translation)
    return {"translatedFileUrl": str(request.url_for("lt_download_file", filename=stored))}


@router.get("/download_file/{filename}", name="lt_download_file")
async def lt_download_file(filename: str, state: AppState = Depends(get_state)) -> FileResponse:
    path = _files(state).path(filename)
    return FileResponse(path, filename=filename.split(".", 1)[1])


@router.get("/frontend/settings")
async def lt_frontend_settings(state: AppState = Depends(get_state)) -> dict[str, Any]:
    """What LibreTranslate's front end and plugins read to configure themselves."""
    settings = state.settings
    return {
        "apiKeys": bool(settings.api_keys or settings.api_keys_file),
        "keyRequired": settings.translate_requires_key,
        "charLimit": settings.max_request_chars,
        "frontendTimeout": 500,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": list(FILE_SUFFIXES),
        "language": {"source": {"code": "auto", "name": "Auto Detect"},
                     "target": {"code": SUPPORTED_LANGUAGES[0], "name": "English"}},
    }


@router.get("/spec")
async def lt_spec(request: Request) -> dict[str, Any]:
    """The OpenAPI description (LibreTranslate serves its Swagger spec here)."""
    return request.app.openapi()


@router.post("/suggest")
async def lt_suggest() -> dict:
    """LibreTranslate's translation suggestions. Glossa's equivalent is the glossary (reviewed
    concepts, `glossa glossary suggest`), so free-form suggestions are refused as LibreTranslate
    refuses them when they are turned off."""
    raise SuggestionsDisabledError("Suggestions are disabled on this server.",
                                   hint="propose glossary entries instead: POST /v1/glossary")
