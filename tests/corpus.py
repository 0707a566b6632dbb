"""Moved: the demo corpus is ``from scripts import demo_corpus`` (scripts/ is a package). This
name stays only while branches written against it are merged (delete it then)."""

from types import ModuleType


def demo_corpus() -> ModuleType:
    from scripts import demo_corpus as module

    return module
