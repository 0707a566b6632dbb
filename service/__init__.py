"""Glossa: offline translation and glossary service for English, Korean and Russian news.

Importing this package is cheap on purpose: no model, no torch, no stanza is loaded here.
"""

__version__ = "0.1.0"

SUPPORTED_LANGUAGES = ("en", "ko", "ru")
PIVOT_LANGUAGE = "en"
