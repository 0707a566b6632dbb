"""The thin, lazy bridge to argostranslate's package module.

argostranslate reads ``ARGOS_PACKAGES_DIR``, ``ARGOS_PACKAGE_INDEX``, ``HOME`` and ``XDG_*`` when it
is first imported, so it is imported here only inside functions, after faces and tests have set
the environment. Only ``argostranslate.package`` is used: it does not import torch or stanza.
"""

from __future__ import annotations

import os
from types import ModuleType

# argostranslate's own default: a base address to which it appends "index.json".
DEFAULT_INDEX_BASE = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def package_module() -> ModuleType:
    import argostranslate.package

    return argostranslate.package


def index_url(value: str | None = None) -> str:
    """The index.json address, from ``value`` or ``ARGOS_PACKAGE_INDEX`` read now.

    argostranslate treats the variable as a base and appends ``index.json``; people also write
    the full address of the file, so a value ending in ``.json`` is taken as it is.
    """
    raw = (value if value is not None else os.environ.get("ARGOS_PACKAGE_INDEX") or "").strip()
    if not raw:
        raw = DEFAULT_INDEX_BASE
    if raw.endswith(".json"):
        return raw
    return raw.rstrip("/") + "/index.json"
