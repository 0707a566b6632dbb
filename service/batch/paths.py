"""Where a batch run may read and write: it must never write over an input.

Outputs go to ``OUT_DIR/<target>/<relative input path>``. Checked once, before anything is
written, on real paths (symlinks resolved, so two spellings of one folder are one folder):

* the input folder may not lie inside the output folder (``glossa batch X/ru -o X -t ru`` would
  write every translation over its original);
* an output folder inside the input folder is left out of the scan, which is safe only while it
  holds nothing but Glossa's outputs: it must be new, empty, or already a batch output folder;
* a per-language folder (``OUT_DIR/ru``) that is a link into the input folder is refused.

Deeper links are caught per file: an output whose real folder is not inside the output folder
is refused for that file (:func:`check_output`).
"""

from __future__ import annotations

import os
from pathlib import Path

from service.batch.glossary_state import SNAPSHOT_DIR
from service.batch.manifest import MANIFEST_NAME
from service.errors import InputError


def is_within(path: str, folder: str) -> bool:
    """Whether real path ``path`` is ``folder`` or lies below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_folders(in_dir: Path, out_dir: Path, targets: tuple[str, ...]) -> None:
    """Refuse (InputError, exit code 2) a run whose outputs could land on its inputs."""
    real_in, real_out = os.path.realpath(in_dir), os.path.realpath(out_dir)
    if real_in == real_out:
        raise InputError("the output folder must differ from the input folder")
    if is_within(real_in, real_out):
        raise InputError(f"the input folder {in_dir} is inside the output folder {out_dir}: "
                         "translations could be written over the originals",
                         hint="choose an output folder outside the input folder")
    if is_within(real_out, real_in) and not _glossa_folder(out_dir):
        raise InputError(f"the output folder {out_dir} is inside the input folder and already holds files "
                         "that are not a batch output: they would be left out of the run and could be "
                         "overwritten", hint="choose a new or empty output folder")
    for target in targets:
        real_target = os.path.realpath(Path(out_dir) / target)
        if not is_within(real_target, real_out) and (
                is_within(real_target, real_in) or is_within(real_in, real_target)):
            raise InputError(f"{Path(out_dir) / target} leads into the input folder {in_dir}: "
                             "translations could be written over the originals")


def check_output(out_dir: Path, output: str) -> Path:
    """The path to write ``output`` (relative to ``out_dir``) to, refused when a symlink on the
    way leads outside the output folder (it could lead onto an input)."""
    path = Path(out_dir) / output
    real_parent = os.path.realpath(path.parent)
    if not is_within(real_parent, os.path.realpath(out_dir)):
        raise InputError(f"cannot write {output}: a symbolic link leads outside the output folder")
    return path


def _glossa_folder(out_dir: Path) -> bool:
    """New, empty, or made by batch (its manifest or state folder is there)."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        return True
    try:
        entries = os.listdir(out_dir)
    except OSError:
        return False
    return not entries or MANIFEST_NAME in entries or SNAPSHOT_DIR in entries
