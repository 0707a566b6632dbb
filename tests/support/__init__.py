"""Helpers and fixtures' building blocks shared by the tests (not tests themselves).

``support.packages``: genuine tiny Argos packages with random weights, and a loopback HTTP
server for index tests. ``support.server``: the real app on a free 127.0.0.1 port, packages
installed the way the CLI installs them, a private glossary copy, settings for tests.
"""
