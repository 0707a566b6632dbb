"""One installed Argos package, read from its directory's metadata.json.

An Argos package directory holds ``metadata.json``, ``model/`` (a CTranslate2 model) and
``sentencepiece.model``; optional extras (stanza/, minisbd/) are not used by Glossa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from service.errors import PackageError


@dataclass(frozen=True)
class InstalledPackage:
    path: Path
    from_code: str
    to_code: str
    package_version: str
    name: str
    # Demo packages are tiny models trained on a closed synthetic vocabulary (scripts/build_demo_models.py).
    demo: bool = False
    # Some Argos packages (multilingual models) need a target-language token forced first.
    target_prefix: str = ""

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sp_model_path(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def key(self) -> str:
        """Stable identity for caches: pair, version and location."""
        return f"{self.from_code}-{self.to_code}@{self.package_version}:{self.path}"

    def describe(self) -> str:
        label = " [DEMO: synthetic vocabulary, not real translation]" if self.demo else ""
        return f"{self.from_code}->{self.to_code} {self.package_version} {self.name}{label}"


def read_package(path: Path) -> InstalledPackage:
    """Read and validate a package directory; PackageError names what is wrong."""
    meta_path = path / "metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"{path} is not an Argos package (no metadata.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"{meta_path} is unreadable: {exc}") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{meta_path} must hold a JSON object")
    missing = [k for k in ("from_code", "to_code") if not isinstance(meta.get(k), str)]
    if missing:
        raise PackageError(f"{meta_path} lacks {', '.join(missing)}")
    if meta.get("type", "translate") != "translate":
        raise PackageError(f"{path} is a {meta.get('type')!r} package, not a translation model")
    for required in ("model/model.bin", "sentencepiece.model"):
        if not (path / required).is_file():
            raise PackageError(f"{path} is incomplete: {required} is missing")
    name = str(meta.get("package_name") or meta.get("name") or path.name)
    return InstalledPackage(
        path=path,
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        package_version=str(meta.get("package_version", "0")),
        name=name,
        demo=bool(meta.get("glossa_demo", False)),
        target_prefix=str(meta.get("target_prefix") or ""),
    )
