"""A deadline for reading a request's line and headers, so slow clients cannot hold connections.

Uvicorn's h11 protocol waits for headers forever on a fresh connection, and its keep-alive
timer is cancelled by the first byte of the next request: a client that sends one header byte
every few seconds (slowloris) holds a connection, and a few hundred of them hold the server.
``HeaderTimeoutProtocol`` closes a connection whose request line and headers are not complete
``GLOSSA_HEADER_TIMEOUT`` seconds after it opened or after the previous response. Bodies are
bounded by ``BodyLimitMiddleware`` and translation by the request deadline.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("glossa.api")


class HeaderTimeoutProtocol(H11Protocol):
    """Uvicorn's h11 protocol with a header-read deadline (``uvicorn.Config(http=...)``)."""

    header_timeout: float | None = None  # None: GLOSSA_HEADER_TIMEOUT, read once per process

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    @classmethod
    def _timeout(cls) -> float:
        if cls.header_timeout is None:
            from service.config import Settings

            cls.header_timeout = Settings.from_env().header_timeout
        return cls.header_timeout

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self._timeout(), self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.warning("closed a connection from %s: no complete request headers within %g s",
                        self.client[0] if self.client else "?", self._timeout())
            self.transport.close()


def protocol_with_timeout(seconds: float) -> type[HeaderTimeoutProtocol]:
    """The protocol class with a fixed deadline (tests and single-process servers)."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})
