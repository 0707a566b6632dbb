"""Moved to tests/support/server.py; this name stays only while branches written against it are
merged (delete it then). It holds no tests."""

from support.server import *  # noqa: F403
from support.server import glossary_copy, install_packages, running_server, settings_for  # noqa: F401
