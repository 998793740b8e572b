"""The in-process tier's network: a request to a bot running in this process reaches its
ASGI app through `httpx.ASGITransport`; any other address is reached over real sockets.

Each in-process bot gets an address of its own, `http://localhost:<n>` with a port no
server holds (served ones are on 127.0.0.1), so two instances in one test, and a RingCentral
emulator pushing to either, reach the right app. A loopback name, as a served bot's is: the
app treats plain http on loopback as a developer's machine (its sign-in cookie is then not
`Secure`). Nothing is skipped: the request goes through the whole app (`build_asgi`), as
uvicorn would hand it.
"""

from __future__ import annotations

import functools
import itertools
import ssl

import httpx
from starlette.types import ASGIApp

HOST = "localhost"
_BOTS: dict[int, httpx.ASGITransport] = {}  # by port, on HOST
# Never 80 or 443: a URL on a scheme's own port is written without it, which links must not be.
_PORTS = (port for port in itertools.count(1) if port not in (80, 443))


def host_in_process(app: ASGIApp) -> str:
    """A URL for `app` that `Network` answers in-process (until `forget`)."""
    port = next(_PORTS)
    # As a server would: an exception in the app is a 500 to the client, not raised here.
    _BOTS[port] = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return f"http://{HOST}:{port}"


def _port(url: httpx.URL) -> int:
    return url.port or 80  # httpx spells http's default port as None


def forget(url: str) -> None:
    _BOTS.pop(_port(httpx.URL(url)), None)


@functools.cache
def _tls() -> ssl.SSLContext:
    # One for the process: building one loads the CA bundle (~25 ms of CPU), which per
    # client made a third of a test's setup.
    return httpx.create_ssl_context()


class Network(httpx.AsyncBaseTransport):
    """In-process bots by their host; everything else (the Slack stand-in, an emulator
    served on loopback) over sockets."""

    def __init__(self) -> None:
        self._wire = httpx.AsyncHTTPTransport(verify=_tls())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        bot = _BOTS.get(_port(request.url)) if request.url.host == HOST else None
        if bot is not None:
            return await bot.handle_async_request(request)
        return await self._wire.handle_async_request(request)

    async def aclose(self) -> None:
        # httpcore's pool opens new connections after a close: a client per request
        # (the emulator's pushes) may close it freely.
        await self._wire.aclose()
