"""Settings, declared once: each field of ``Settings`` carries its environment variable, default,
help text and (for the server's) its `glossa serve` flag, so the parsing of the environment,
`glossa serve --help` and the README's configuration table are all made from this one place
(tests/test_config.py checks that they agree).

Each face builds one ``Settings`` in its entry point (``Settings.from_env()``: a CLI command,
``create_app``) and passes it down; nothing in the core reads the environment, except
argostranslate itself, which reads ``ARGOS_PACKAGES_DIR`` and ``ARGOS_PACKAGE_INDEX`` at import
time (see ``service.models.argos``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from service.errors import InputError

__all__ = ["LOG_LEVELS", "OTHER_VARIABLES", "REPO_ROOT", "Settings", "configuration_table", "declared",
           "default_packages_dir"]

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


def setting(default: Any = MISSING, *, env: str, help: str, factory: Callable[[], Any] | None = None,
            minimum: float | None = None, maximum: float | None = None, choices: tuple[str, ...] | None = None,
            parser: Callable[[str, str], Any] | None = None, flag: str | None = None, appends: bool = False,
            shown: str | None = None, repr: bool = True) -> Any:
    """A ``Settings`` field with its declaration: ``env`` variable, ``help`` (one line), the
    range a number may take or the ``choices`` a word may, a ``parser`` (variable name, raw
    value) where the type's own is not enough, the `glossa serve` ``flag`` (None: not a server
    flag; ``appends``: a repeated flag adds to the variable's values rather than replacing them)
    and how the default is ``shown`` in the docs when it is computed."""
    metadata = {"env": env, "help": help, "minimum": minimum, "maximum": maximum, "choices": choices,
                "parser": parser, "flag": flag, "appends": appends, "shown": shown}
    if factory is not None:
        return field(default_factory=factory, repr=repr, metadata=metadata)
    return field(default=default, repr=repr, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    packages_dir: Path = setting(
        env="ARGOS_PACKAGES_DIR", factory=default_packages_dir,
        shown="argostranslate's (`~/.local/share/argos-translate/packages`)",
        help="Installed Argos models (argostranslate's package directory, shared with argospm).")
    glossary_dir: Path = setting(
        env="GLOSSA_GLOSSARY_DIR", factory=_default_glossary_dir, shown="`glossaries/` of this repository",
        help="The house glossary (termbase) folder; named glossaries live in its `named/`.")
    demo_models_dir: Path = setting(
        env="GLOSSA_DEMO_MODELS_DIR", factory=_default_demo_dir, shown="`models/demo/` of this repository",
        help="Where `glossa models ensure` finds the demo .argosmodel files when the index is unreachable.")
    device: str = setting("cpu", env="GLOSSA_DEVICE", help="CTranslate2 device: cpu or cuda.")
    compute_type: str = setting("int8", env="GLOSSA_COMPUTE_TYPE",
                                help="CTranslate2 quantisation (int8, float16, ...).")
    # 0 lets CTranslate2 pick; on a 2-core machine one translator with 2 intra threads is best.
    intra_threads: int = setting(0, env="GLOSSA_THREADS", minimum=0,
                                 help="CPU threads per translation (0: CTranslate2 decides).")
    inter_threads: int = setting(1, env="GLOSSA_INTER_THREADS", minimum=1, help="Translations run in parallel.")
    beam_size: int = setting(4, env="GLOSSA_BEAM_SIZE", minimum=1, help="Beam size, as Argos Translate.")
    max_batch_tokens: int = setting(2048, env="GLOSSA_MAX_BATCH_TOKENS", minimum=16,
                                    help="Tokens per engine batch, counted across beams (2048 at beam 4: 512 "
                                         "source tokens); the decoder's memory grows with it "
                                         "([docs/benchmarks.md](docs/benchmarks.md#memory)).")
    # Each loaded direction holds its model (about 100 MB at Argos size) for the process's life;
    # a site that serves every direction all day may prefer them loaded before the first request.
    preload: str = setting("none", env="GLOSSA_PRELOAD", choices=("none", "all"), flag="--preload",
                           help="Models kept loaded by /ready: none (a direction loads on its first request; "
                                "/ready proves each model and releases it again) or all.")
    cache_size: int = setting(10_000, env="GLOSSA_CACHE_SIZE", minimum=0,
                              help="Translated sentences kept in memory (0: no cache).")
    max_chars: int = setting(1_000_000, env="GLOSSA_MAX_CHARS", minimum=1,
                             help="Characters per text (`glossa translate --max-chars N` for one run).")
    # Reliability bounds (issue 12). A sentence over this many SentencePiece pieces is cut at
    # clause, word or character boundaries before translation: models trained on news sentences
    # (rarely over 100 pieces) stop early on longer input and the rest is lost; past 251 pieces the
    # decoding bound (2 * pieces + 10, capped at 512) would cut the output too.
    max_sentence_pieces: int = setting(100, env="GLOSSA_MAX_SENTENCE_PIECES", minimum=8, maximum=251,
                                       help="Longer sentences are cut at clause or word boundaries and "
                                            "translated in parts (SentencePiece pieces, 8-251).")
    # The HTTP queue gives the engine rounds of sentences shared round-robin between the requests
    # waiting, so a large article is translated over several rounds while small requests keep
    # being answered: about round_seconds of engine time per round (measured), at least round_chars.
    round_seconds: float = setting(1.0, env="GLOSSA_ROUND_SECONDS", minimum=0.0,
                                   help="Engine time per queue round, shared between waiting requests (0: "
                                        "always GLOSSA_ROUND_CHARS).")
    round_chars: int = setting(4000, env="GLOSSA_ROUND_CHARS", minimum=1,
                               help="The least characters a queue round holds.")
    # HTTP service (`glossa serve`, service.api).
    host: str = setting("127.0.0.1", env="GLOSSA_HOST", flag="--host", help="Address to listen on.")
    port: int = setting(8000, env="GLOSSA_PORT", minimum=0, maximum=65535, flag="--port", help="Port.")
    workers: int = setting(1, env="GLOSSA_WORKERS", minimum=1, maximum=64, flag="--workers",
                           help="Worker processes (each loads its own models).")
    api_keys: tuple[str, ...] = setting((), env="GLOSSA_API_KEYS", flag="--api-key", appends=True, shown="none",
                                        repr=False,  # never printed in logs
                                        help="Accepted API keys, comma-separated (the flag is repeatable).")
    # One key per line ('#' starts a comment); re-read when it changes, so keys rotate without restart.
    api_keys_file: Path | None = setting(None, env="GLOSSA_API_KEYS_FILE", flag="--api-keys-file", shown="none",
                                         help="File with one API key per line, re-read when it changes.")
    # Glossary writes always need a key; translation and detection only when this is set.
    translate_requires_key: bool = setting(False, env="GLOSSA_TRANSLATE_REQUIRES_KEY", flag="--require-key/--open",
                                           help="Whether translation and detection need an API key too.")
    max_request_chars: int = setting(100_000, env="GLOSSA_MAX_REQUEST_CHARS", minimum=1, flag="--max-request-chars",
                                     help="Characters of all texts of one request together (413 beyond).")
    max_batch_texts: int = setting(128, env="GLOSSA_MAX_BATCH_TEXTS", minimum=1, flag="--max-batch-texts",
                                   help="Texts per request (413 beyond).")
    max_body_bytes: int = setting(2 * 1024 * 1024, env="GLOSSA_MAX_BODY_BYTES", minimum=64, flag="--max-body-bytes",
                                  help="Request body size (413 beyond).")
    queue_size: int = setting(64, env="GLOSSA_QUEUE_SIZE", minimum=0, flag="--queue-size",
                              help="Translation requests waiting for the engine (503 + Retry-After beyond).")
    request_timeout: float = setting(120.0, env="GLOSSA_REQUEST_TIMEOUT", minimum=0.001, flag="--timeout",
                                     help="Seconds a translation request may wait and run (504 beyond).")
    batch_window_ms: float = setting(5.0, env="GLOSSA_BATCH_WINDOW_MS", minimum=0.0, flag="--batch-window-ms",
                                     help="Milliseconds the queue waits for more requests to share a batch.")
    rate_limit_per_client: int = setting(0, env="GLOSSA_RATE_LIMIT_PER_CLIENT", minimum=0,
                                         help="API requests per minute per client address (429 + Retry-After "
                                              "beyond; 0: off).")
    rate_limit_per_key: int = setting(0, env="GLOSSA_RATE_LIMIT_PER_KEY", minimum=0,
                                      help="API requests per minute per API key (429 + Retry-After beyond; 0: off).")
    header_timeout: float = setting(10.0, env="GLOSSA_HEADER_TIMEOUT", minimum=0.1,
                                    help="Seconds a client may take to send its request line and headers "
                                         "(slow clients are dropped).")
    # Deployment (`glossa serve`): behind a reverse proxy, called from browsers, logs.
    root_path: str = setting("", env="GLOSSA_ROOT_PATH", parser=lambda name, raw: _root_path(name, raw),
                             flag="--root-path", shown="none",
                             help="URL prefix a reverse proxy serves Glossa under, e.g. /glossa (the proxy strips it).")
    forwarded_allow_ips: str = setting("127.0.0.1", env="GLOSSA_FORWARDED_ALLOW_IPS", flag="--forwarded-allow-ips",
                                       help="Proxy addresses whose X-Forwarded-For/-Proto headers are trusted, "
                                            "comma-separated, or '*'.")
    cors_origins: tuple[str, ...] = setting((), env="GLOSSA_CORS_ORIGINS", parser=lambda name, raw: _origins(name, raw),
                                            flag="--cors-origin", shown="none (CORS off)",
                                            help="Browser origins allowed to call the API, e.g. "
                                                 "https://news.example.org (the flag is repeatable).")
    log_format: str = setting("text", env="GLOSSA_LOG_FORMAT", choices=("text", "json"), flag="--log-format",
                              help="One line per request, as text or JSON lines.")
    log_level: str = setting("info", env="GLOSSA_LOG_LEVEL", choices=LOG_LEVELS, flag="--log-level",
                             help="The server's log level.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``GLOSSA_*`` variables; a bad value is an InputError naming it."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in declared():
            raw = env.get(f.metadata["env"])
            if raw is None or not raw.strip():
                continue  # unset
            values[f.name] = _parse(f, raw)
        return cls(**values)


# Variables that are not Settings (read by argostranslate or by the CLI's error handler),
# listed with the settings in the README's table: (variable, default, meaning).
OTHER_VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("ARGOS_PACKAGE_INDEX", "the Argos index", "Where `glossa models install` downloads from."),
    ("GLOSSA_DEBUG", "unset", "Print the traceback of an internal error (CLI)."),
    ("XDG_CACHE_HOME", "`~/.cache`", "`glossa/russian-forms-*.json` there: the glossary's generated Russian forms, "
     "so a fresh process skips pymorphy3; `glossa/probes-*.json`: which glossary concepts each model writes "
     "unaided, so a fresh process does not probe again (both safe to delete)."),
)


def declared() -> Iterator[Field]:
    """The Settings fields, in declaration order, each with its declaration in ``metadata``."""
    return iter(fields(Settings))


def shown_default(f: Field) -> str:
    """A field's default as the docs and `--help` show it."""
    if f.metadata.get("shown"):
        return str(f.metadata["shown"])
    value = f.default
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"`{value}`" if isinstance(value, str) else str(value)


def configuration_table() -> str:
    """The README's configuration table (Markdown), made from the declarations."""
    rows = ["| variable | default | `glossa serve` flag | meaning |", "|---|---|---|---|"]
    for f in declared():
        flag = f"`{f.metadata['flag']}`" if f.metadata.get("flag") else ""
        rows.append(f"| `{f.metadata['env']}` | {shown_default(f)} | {flag} | {f.metadata['help']} |")
    for name, default, meaning in OTHER_VARIABLES:
        rows.append(f"| `{name}` | {default} |  | {meaning} |")
    return "\n".join(rows) + "\n"


# -- parsing one variable ------------------------------------------------------------------------


def _parse(f: Field, raw: str) -> Any:
    name, meta = f.metadata["env"], f.metadata
    if meta.get("parser") is not None:
        return meta["parser"](name, raw)
    if meta.get("choices"):
        value = raw.strip().lower()
        if value not in meta["choices"]:
            raise InputError(f"{name} must be one of {', '.join(meta['choices'])}, got {value!r}")
        return value
    return _PARSERS[str(f.type)](name, raw, meta["minimum"], meta["maximum"])


def _int(name: str, raw: str, minimum: float | None, maximum: float | None) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name} must be an integer, got {raw!r}") from None
    _check_range(name, value, raw, minimum, maximum)
    return value


def _float(name: str, raw: str, minimum: float | None, maximum: float | None) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name} must be a number, got {raw!r}") from None
    _check_range(name, value, raw, minimum, maximum)
    return value


def _check_range(name: str, value: float, raw: str, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and not value >= minimum:  # also refuses NaN
        raise InputError(f"{name} must be >= {minimum:g}, got {raw}")
    if maximum is not None and not value <= maximum:
        raise InputError(f"{name} must be <= {maximum:g}, got {raw}")


def _bool(name: str, raw: str, _minimum: float | None, _maximum: float | None) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InputError(f"{name} must be true or false, got {value!r}")


def _keys(_name: str, raw: str, _minimum: float | None, _maximum: float | None) -> tuple[str, ...]:
    """API keys from a comma- or whitespace-separated list."""
    return tuple(k for k in raw.replace(",", " ").split() if k)


def _root_path(name: str, raw: str) -> str:
    """A URL prefix: '' or '/a/b' (a trailing slash dropped)."""
    value = raw.strip().rstrip("/")
    if value and (not value.startswith("/") or any(c in value for c in "?#") or any(c.isspace() for c in value)):
        raise InputError(f"{name} must be a URL path such as /glossa, got {value!r}")
    return value


def _origins(name: str, raw: str) -> tuple[str, ...]:
    """Browser origins (scheme://host[:port], or *) from a comma- or whitespace-separated list."""
    origins = tuple(dict.fromkeys(o.rstrip("/") for o in _keys(name, raw, None, None)))
    for origin in origins:
        scheme, sep, rest = origin.partition("://")
        if origin != "*" and (scheme not in ("http", "https") or not sep or not rest or "/" in rest):
            raise InputError(f"{name}: {origin!r} is not an origin such as https://news.example.org")
    return origins


def _stripped(_name: str, raw: str, _minimum: float | None, _maximum: float | None) -> str:
    return raw.strip()


def _path(_name: str, raw: str, _minimum: float | None, _maximum: float | None) -> Path:
    return Path(raw)


# Parsers by the field's annotation (a string: this module uses postponed annotations).
_PARSERS: dict[str, Callable[[str, str, float | None, float | None], Any]] = {
    "Path": _path,
    "Path | None": _path,
    "str": _stripped,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "tuple[str, ...]": _keys,
}
