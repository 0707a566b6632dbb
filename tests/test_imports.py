"""Importing Glossa is cheap: no torch, no stanza, no argostranslate.translate, no model."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "stanza", "argostranslate.translate", "spacy", "ctranslate2")


def test_import_service_loads_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import service, service.cli, service.pipeline, service.config, service.formats\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"heavy modules imported: {proc.stdout.strip()}"


def test_cli_help_lists_commands_without_loading_models() -> None:
    proc = subprocess.run([sys.executable, "-m", "service", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "translate" in proc.stdout and "Examples:" in proc.stdout
