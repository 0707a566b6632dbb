"""Moved to tests/support/packages.py; this name stays only while branches written against it
are merged (delete it then)."""

from support.packages import *  # noqa: F403
from support.packages import build_archive_set, build_package, index_entry, serve_directory  # noqa: F401
