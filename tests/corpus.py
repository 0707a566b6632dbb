"""The demo models' sentence generator (scripts/demo_corpus.py), imported by path: scripts/ is not
a package, and tests that build articles from held-out sentences all need the same module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

_PATH = Path(__file__).resolve().parent.parent / "scripts" / "demo_corpus.py"


def demo_corpus() -> ModuleType:
    if "demo_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("demo_corpus", _PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules["demo_corpus"] = module
        spec.loader.exec_module(module)
    return sys.modules["demo_corpus"]
