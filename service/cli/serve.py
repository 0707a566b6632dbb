"""`glossa serve`: the HTTP service (uvicorn), configured by flags or GLOSSA_* variables.

The flags are made from the settings' declarations (``service.config``): each server setting
with a ``flag`` becomes an option whose help names its variable and default.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import Field
from pathlib import Path
from typing import Any

import click

from service.api import requestlog
from service.config import Settings, declared, shown_default

_EPILOG = """\b
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
Every flag has a GLOSSA_* variable, named in its help; a flag wins over its variable. The other
variables (models, threads, glossary folder) are in the README's configuration table."""


def _click_type(f: Field) -> Any:
    low, high = f.metadata.get("minimum"), f.metadata.get("maximum")
    kind = str(f.type)
    if f.metadata.get("choices"):
        return click.Choice(list(f.metadata["choices"]))
    if kind == "int":
        return click.IntRange(None if low is None else int(low), None if high is None else int(high))
    if kind == "float":
        return click.FloatRange(low, high)
    if kind == "Path | None":
        return click.Path(dir_okay=False)
    return None


def _option(f: Field) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    help_text = f"{f.metadata['help']} [default: {shown_default(f).strip('`')}; {f.metadata['env']}]"
    if str(f.type) == "bool":
        return click.option(f.metadata["flag"], f.name, default=None, help=help_text)
    if str(f.type) == "tuple[str, ...]":
        return click.option(f.metadata["flag"], f.name, multiple=True, help=help_text)
    return click.option(f.metadata["flag"], f.name, type=_click_type(f), help=help_text)


def server_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Every declared setting with a ``flag``, as a click option named after its field."""
    for f in reversed([f for f in declared() if f.metadata.get("flag")]):
        command = _option(f)(command)
    return command


@click.command("serve", epilog=_EPILOG)
@server_options
def serve(**flags: Any) -> None:
    """Start the HTTP service: /v1 API, LibreTranslate-compatible API, glossary, metrics."""
    import uvicorn  # deferred: the web server is only needed when serving

    # Flags become GLOSSA_* variables so that every worker process builds the same Settings.
    for f in declared():
        value = flags.get(f.name)
        if value is None or value == ():
            continue
        env = f.metadata["env"]
        if isinstance(value, tuple):  # repeatable: API keys add to the variable's, origins replace them
            earlier = (os.environ.get(env, ""),) if f.metadata.get("appends") else ()
            value = ",".join(k for k in (*earlier, *value) if k)
        elif isinstance(value, bool):
            value = str(value).lower()
        os.environ[env] = str(value)
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
