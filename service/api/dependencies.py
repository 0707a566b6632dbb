"""What routers depend on: the app state, its settings, and the one API-key check.

FastAPI's "bigger applications" layout: routers declare ``Depends(...)`` on these and never read
keys, settings or the state any other way, so every face of the HTTP API authenticates alike.
"""

from __future__ import annotations

from fastapi import Depends, Request

from service.api.auth import bearer_token
from service.api.state import AppState
from service.config import Settings

__all__ = ["get_settings", "get_state", "presented_key", "require_translate_key", "check_translate_key",
           "check_glossary_write"]


def get_state(request: Request) -> AppState:
    return request.app.state.glossa


def get_settings(state: AppState = Depends(get_state)) -> Settings:
    return state.settings


def presented_key(request: Request, field: str | None = None) -> str | None:
    """The key a client sent: a body/query field (LibreTranslate's ``api_key``) or the bearer."""
    return field or bearer_token(request)


def check_translate_key(request: Request, state: AppState, field: str | None = None) -> None:
    """Translation and detection need a key only when the server is configured so."""
    if state.settings.translate_requires_key:
        state.keys.check(presented_key(request, field), action="translation")


def require_translate_key(request: Request, state: AppState = Depends(get_state)) -> None:
    check_translate_key(request, state)


def check_glossary_write(request: Request, state: AppState, glossary: str) -> None:
    """Glossary writes always need a key, one allowed to change ``glossary`` ("house" or a name)."""
    state.keys.check(presented_key(request), action="changing the glossary", glossary=glossary)
