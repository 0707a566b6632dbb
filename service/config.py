"""Settings, read in one place from ``GLOSSA_*`` environment variables.

Faces build one ``Settings`` (``Settings.from_env()``) and pass it down; nothing else reads the
environment, except argostranslate itself, which reads ``ARGOS_PACKAGES_DIR`` and
``ARGOS_PACKAGE_INDEX`` at import time (see ``service.models.argos``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from service.errors import InputError

REPO_ROOT = Path(__file__).resolve().parent.parent
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def _default_glossary_dir() -> Path:
    return REPO_ROOT / "glossaries"


def _default_demo_dir() -> Path:
    return REPO_ROOT / "models" / "demo"


def default_packages_dir() -> Path:
    """The directory argostranslate installs packages into, computed as argostranslate does."""
    explicit = os.environ.get("ARGOS_PACKAGES_DIR")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise InputError(f"{name} must be >= {minimum}, got {value}")
    return value


def _int_range(name: str, default: int, minimum: int, maximum: int) -> int:
    value = _int(name, default, minimum)
    if value > maximum:
        raise InputError(f"{name} must be <= {maximum}, got {value}")
    return value


def _float(name: str, default: float, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name} must be a number, got {raw!r}") from None
    if not value >= minimum:  # also refuses NaN
        raise InputError(f"{name} must be >= {minimum}, got {raw}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise InputError(f"{name} must be true or false, got {raw!r}")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw not in choices:
        raise InputError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _root_path(name: str) -> str:
    """A URL prefix: '' or '/a/b' (a trailing slash dropped)."""
    raw = (os.environ.get(name) or "").strip().rstrip("/")
    if raw and (not raw.startswith("/") or any(c in raw for c in "?#") or any(c.isspace() for c in raw)):
        raise InputError(f"{name} must be a URL path such as /glossa, got {raw!r}")
    return raw


def _origins(name: str) -> tuple[str, ...]:
    """Browser origins (scheme://host[:port], or *) from a comma- or whitespace-separated list."""
    origins = tuple(dict.fromkeys(o.rstrip("/") for o in _keys(os.environ.get(name))))
    for origin in origins:
        scheme, sep, rest = origin.partition("://")
        if origin != "*" and (scheme not in ("http", "https") or not sep or not rest or "/" in rest):
            raise InputError(f"{name}: {origin!r} is not an origin such as https://news.example.org")
    return origins


def _keys(raw: str | None) -> tuple[str, ...]:
    """API keys from a comma- or whitespace-separated list."""
    return tuple(k for k in (raw or "").replace(",", " ").split() if k)


@dataclass(frozen=True)
class Settings:
    packages_dir: Path = field(default_factory=default_packages_dir)
    glossary_dir: Path = field(default_factory=_default_glossary_dir)
    demo_models_dir: Path = field(default_factory=_default_demo_dir)
    device: str = "cpu"
    compute_type: str = "int8"
    # 0 lets CTranslate2 pick; on a 2-core machine one translator with 2 intra threads is best.
    intra_threads: int = 0
    inter_threads: int = 1
    beam_size: int = 4
    max_batch_tokens: int = 2048
    cache_size: int = 10_000
    max_chars: int = 1_000_000
    # Reliability bounds (issue 12). A sentence over this many SentencePiece pieces is cut at
    # clause, word or character boundaries before translation: models trained on news sentences
    # (rarely over 100 pieces) stop early on longer input and the rest is lost; past 251 pieces the
    # decoding bound (2 * pieces + 10, capped at 512) would cut the output too.
    max_sentence_pieces: int = 100
    # The HTTP queue gives the engine rounds of sentences shared round-robin between the requests
    # waiting, so a large article is translated over several rounds while small requests keep
    # being answered: about round_seconds of engine time per round (measured), at least
    # round_chars characters (0 seconds: always round_chars).
    round_chars: int = 4000
    round_seconds: float = 1.0
    # Requests per minute per client address and per API key (429 + Retry-After beyond); 0: off.
    rate_limit_per_client: int = 0
    rate_limit_per_key: int = 0
    # Seconds a client may take to send its request line and headers (slow clients are dropped).
    header_timeout: float = 10.0
    # HTTP service (`glossa serve`, service.api).
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # never printed in logs
    # One key per line ('#' starts a comment); re-read when it changes, so keys rotate without restart.
    api_keys_file: Path | None = None
    # Glossary writes always need a key; translation and detection only when this is set.
    translate_requires_key: bool = False
    max_request_chars: int = 100_000  # all texts of one request together (413 beyond)
    max_batch_texts: int = 128  # texts in one request
    max_body_bytes: int = 2 * 1024 * 1024
    queue_size: int = 64  # translation requests waiting for the engine (503 + Retry-After beyond)
    request_timeout: float = 120.0  # seconds a translation request may wait and run (504 beyond)
    batch_window_ms: float = 5.0  # how long the queue waits for more requests to share a batch
    # Deployment (`glossa serve`): behind a reverse proxy, called from browsers, logs.
    root_path: str = ""  # URL prefix a proxy serves Glossa under (e.g. /glossa); the proxy strips it
    forwarded_allow_ips: str = "127.0.0.1"  # proxies whose X-Forwarded-For/-Proto are trusted ('*': any)
    cors_origins: tuple[str, ...] = ()  # browser origins allowed to call the API; none: CORS off
    log_format: str = "text"  # text or json: one line per request (and uvicorn's own lines)
    log_level: str = "info"

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        base = cls()
        return replace(
            base,
            glossary_dir=Path(env.get("GLOSSA_GLOSSARY_DIR") or base.glossary_dir),
            demo_models_dir=Path(env.get("GLOSSA_DEMO_MODELS_DIR") or base.demo_models_dir),
            device=env.get("GLOSSA_DEVICE") or base.device,
            compute_type=env.get("GLOSSA_COMPUTE_TYPE") or base.compute_type,
            intra_threads=_int("GLOSSA_THREADS", base.intra_threads),
            inter_threads=_int("GLOSSA_INTER_THREADS", base.inter_threads, 1),
            beam_size=_int("GLOSSA_BEAM_SIZE", base.beam_size, 1),
            max_batch_tokens=_int("GLOSSA_MAX_BATCH_TOKENS", base.max_batch_tokens, 16),
            cache_size=_int("GLOSSA_CACHE_SIZE", base.cache_size, 0),
            max_chars=_int("GLOSSA_MAX_CHARS", base.max_chars, 1),
            max_sentence_pieces=_int_range("GLOSSA_MAX_SENTENCE_PIECES", base.max_sentence_pieces, 8, 251),
            round_chars=_int("GLOSSA_ROUND_CHARS", base.round_chars, 1),
            round_seconds=_float("GLOSSA_ROUND_SECONDS", base.round_seconds, 0.0),
            rate_limit_per_client=_int("GLOSSA_RATE_LIMIT_PER_CLIENT", base.rate_limit_per_client, 0),
            rate_limit_per_key=_int("GLOSSA_RATE_LIMIT_PER_KEY", base.rate_limit_per_key, 0),
            header_timeout=_float("GLOSSA_HEADER_TIMEOUT", base.header_timeout, 0.1),
            host=env.get("GLOSSA_HOST") or base.host,
            port=_int("GLOSSA_PORT", base.port, 0),
            workers=_int("GLOSSA_WORKERS", base.workers, 1),
            api_keys=_keys(env.get("GLOSSA_API_KEYS")),
            api_keys_file=Path(env["GLOSSA_API_KEYS_FILE"]) if env.get("GLOSSA_API_KEYS_FILE") else None,
            translate_requires_key=_bool("GLOSSA_TRANSLATE_REQUIRES_KEY", base.translate_requires_key),
            max_request_chars=_int("GLOSSA_MAX_REQUEST_CHARS", base.max_request_chars, 1),
            max_batch_texts=_int("GLOSSA_MAX_BATCH_TEXTS", base.max_batch_texts, 1),
            max_body_bytes=_int("GLOSSA_MAX_BODY_BYTES", base.max_body_bytes, 64),
            queue_size=_int("GLOSSA_QUEUE_SIZE", base.queue_size, 0),
            request_timeout=_float("GLOSSA_REQUEST_TIMEOUT", base.request_timeout, 0.001),
            batch_window_ms=_float("GLOSSA_BATCH_WINDOW_MS", base.batch_window_ms, 0.0),
            root_path=_root_path("GLOSSA_ROOT_PATH"),
            forwarded_allow_ips=(env.get("GLOSSA_FORWARDED_ALLOW_IPS") or "").strip() or base.forwarded_allow_ips,
            cors_origins=_origins("GLOSSA_CORS_ORIGINS"),
            log_format=_choice("GLOSSA_LOG_FORMAT", base.log_format, ("text", "json")),
            log_level=_choice("GLOSSA_LOG_LEVEL", base.log_level, LOG_LEVELS),
        )
