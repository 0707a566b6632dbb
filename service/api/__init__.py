"""The HTTP face: a FastAPI app built by ``create_app(settings)``; see docs/http-api.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from service.config import Settings

__all__ = ["create_app", "app_from_env"]


def create_app(settings: Settings | None = None, *, pipeline: Any = None) -> FastAPI:
    from service.api.app import create_app as build

    return build(settings, pipeline=pipeline)


def app_from_env() -> FastAPI:
    from service.api.app import app_from_env as build

    return build()
