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
        )
