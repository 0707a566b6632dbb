"""`glossa serve`: the HTTP service (uvicorn), configured by flags or GLOSSA_* variables."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import click

from service.api import requestlog
from service.config import LOG_LEVELS, Settings


@click.command(
    "serve",
    epilog="""\b
Examples:
  glossa serve                                  http://127.0.0.1:8000 (docs at /docs)
  glossa serve --host 0.0.0.0 --port 8080 --workers 2
  GLOSSA_API_KEYS=s3cret glossa serve           glossary writes need `Authorization: Bearer s3cret`
  glossa serve --api-keys-file /etc/glossa/keys --require-key
  glossa serve --root-path /glossa --forwarded-allow-ips 10.0.0.5   behind a proxy at /glossa
  glossa serve --cors-origin https://news.example.org --log-format json
  curl -s localhost:8000/v1/translate -H 'content-type: application/json' \\
       -d '{"text": "Kim Jong-un visited Moscow.", "target": "ru"}'
\b
Every flag has a GLOSSA_* variable (GLOSSA_HOST, GLOSSA_PORT, GLOSSA_WORKERS, GLOSSA_API_KEYS,
GLOSSA_API_KEYS_FILE, GLOSSA_TRANSLATE_REQUIRES_KEY, GLOSSA_MAX_REQUEST_CHARS,
GLOSSA_MAX_BATCH_TEXTS, GLOSSA_MAX_BODY_BYTES, GLOSSA_QUEUE_SIZE, GLOSSA_REQUEST_TIMEOUT,
GLOSSA_BATCH_WINDOW_MS, GLOSSA_ROOT_PATH, GLOSSA_FORWARDED_ALLOW_IPS, GLOSSA_CORS_ORIGINS,
GLOSSA_LOG_FORMAT, GLOSSA_LOG_LEVEL); a flag wins over its variable. Without flags: GLOSSA_ROUND_SECONDS,
GLOSSA_ROUND_CHARS, GLOSSA_RATE_LIMIT_PER_CLIENT, GLOSSA_RATE_LIMIT_PER_KEY, GLOSSA_HEADER_TIMEOUT.""",
)
@click.option("--host", help="Address to listen on. [default: 127.0.0.1]")
@click.option("--port", type=click.IntRange(0, 65535), help="Port. [default: 8000]")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (each loads its own models). [default: 1]")
@click.option("--api-key", "api_keys", multiple=True, help="An accepted API key (repeatable).")
@click.option("--api-keys-file", type=click.Path(dir_okay=False), help="File with one API key per line.")
@click.option("--require-key/--open", "require_key", default=None,
              help="Whether translation and detection need an API key too. [default: --open]")
@click.option("--max-request-chars", type=click.IntRange(1), help="Characters per request (413 beyond).")
@click.option("--max-batch-texts", type=click.IntRange(1), help="Texts per request (413 beyond).")
@click.option("--max-body-bytes", type=click.IntRange(64), help="Request body size (413 beyond).")
@click.option("--queue-size", type=click.IntRange(0), help="Requests waiting for the engine (503 beyond).")
@click.option("--timeout", "request_timeout", type=click.FloatRange(0.001), help="Seconds per translation request (504 beyond).")
@click.option("--root-path",
              help="URL prefix a reverse proxy serves Glossa under, e.g. /glossa. [default: none]")
@click.option("--forwarded-allow-ips",
              help="Proxy addresses whose X-Forwarded-For/-Proto headers are trusted, comma-separated, "
                   "or '*'. [default: 127.0.0.1]")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="A browser origin allowed to call the API, e.g. https://news.example.org (repeatable). "
                   "[default: none: CORS off]")
@click.option("--log-format", type=click.Choice(["text", "json"]),
              help="One line per request, as text or JSON lines. [default: text]")
@click.option("--log-level", type=click.Choice(list(LOG_LEVELS)), help="[default: info]")
def serve(host: str | None, port: int | None, workers: int | None, api_keys: tuple[str, ...],
          api_keys_file: str | None, require_key: bool | None, max_request_chars: int | None,
          max_batch_texts: int | None, max_body_bytes: int | None, queue_size: int | None,
          request_timeout: float | None, root_path: str | None, forwarded_allow_ips: str | None,
          cors_origins: tuple[str, ...], log_format: str | None, log_level: str | None) -> None:
    """Start the HTTP service: /v1 API, LibreTranslate-compatible API, glossary, metrics."""
    import uvicorn

    # Flags become GLOSSA_* variables so that every worker process builds the same Settings.
    overrides = {
        "GLOSSA_HOST": host, "GLOSSA_PORT": port, "GLOSSA_WORKERS": workers,
        "GLOSSA_API_KEYS_FILE": api_keys_file,
        "GLOSSA_TRANSLATE_REQUIRES_KEY": None if require_key is None else str(require_key).lower(),
        "GLOSSA_MAX_REQUEST_CHARS": max_request_chars, "GLOSSA_MAX_BATCH_TEXTS": max_batch_texts,
        "GLOSSA_MAX_BODY_BYTES": max_body_bytes, "GLOSSA_QUEUE_SIZE": queue_size,
        "GLOSSA_REQUEST_TIMEOUT": request_timeout, "GLOSSA_ROOT_PATH": root_path,
        "GLOSSA_FORWARDED_ALLOW_IPS": forwarded_allow_ips, "GLOSSA_LOG_FORMAT": log_format,
        "GLOSSA_LOG_LEVEL": log_level,
        "GLOSSA_CORS_ORIGINS": ",".join(cors_origins) if cors_origins else None,
    }
    if api_keys:
        existing = os.environ.get("GLOSSA_API_KEYS", "")
        overrides["GLOSSA_API_KEYS"] = ",".join(k for k in (existing, *api_keys) if k)
    for name, value in overrides.items():
        if value is not None:
            os.environ[name] = str(value)
    settings = Settings.from_env()  # refuses bad values with a one-line error before binding
    if settings.workers > 1:
        _share_metrics_between_workers()
    keyed = "needs an API key" if settings.translate_requires_key else "open"
    has_keys = bool(settings.api_keys or settings.api_keys_file)
    click.echo(f"glossa: serving on http://{settings.host}:{settings.port} (docs at /docs; translation {keyed}; "
               f"glossary writes {'need an API key' if has_keys else 'disabled: no API keys configured'})",
               err=True)
    from service.api.slow_clients import HeaderTimeoutProtocol

    # Access lines come from Glossa's request log (one per request, with translation details).
    # HeaderTimeoutProtocol: uvicorn's h11 protocol with a header-read deadline (slow clients).
    uvicorn.run("service.api:app_from_env", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_level=settings.log_level, access_log=False,
                log_config=requestlog.uvicorn_log_config(settings.log_format, settings.log_level),
                proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips, root_path=settings.root_path,
                http=HeaderTimeoutProtocol)


def _share_metrics_between_workers() -> None:
    """prometheus-client's multiprocess mode: every worker writes its values to files in one folder
    and /metrics sums them. The folder must be empty at start (old files would be counted)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
    else:
        directory = tempfile.mkdtemp(prefix="glossa-metrics-")
        atexit.register(shutil.rmtree, directory, True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
