"""The store under stress: SQLite with concurrent writers; PostgreSQL connections cut mid-way."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import pytest

from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, start_harness, user_id


async def test_sqlite_concurrent_writers_all_land(sqlite_url: str) -> None:
    # Room for every writer at once: this is about SQLite, not the background-task bound.
    bot = await start_harness(sqlite_url, switchboard_max_background_tasks=50)
    try:
        await _all_writers_land(bot)
    finally:
        await bot.close()


async def _all_writers_land(bot: Harness) -> None:
    # 24 writers at once, 3 per person (docs/contract.md: at most 3 commands in progress each)
    plan = dict.fromkeys(["alice", "bob", "carol", "admin", "erin", "frank", "grace", "heidi"], 3)
    bodies: list[bytes] = []
    for who, count in plan.items():
        await bot.command(who, "/switchboard", "whoami")
        for i in range(count):
            text = f"add +1 415 555 {3000 + len(bodies)} n{i}"
            bodies.append(
                payloads.slash_command(
                    user_id=user_id(who),
                    user_name=who,
                    command="/forward",
                    text=text,
                    response_url=bot.slack.response_url(),
                )
            )
    responses = await asyncio.gather(
        *(bot.post(b, signing.signed_headers(bot.secret, b)) for b in bodies)
    )
    await bot.runtime.tasks.wait_idle()
    assert all(r.status_code == 200 for r in responses)
    texts = [c.args.get("text", "") for c in bot.slack.of("response_url")]
    assert sum("Added" in t for t in texts) == len(bodies), [t for t in texts if "Added" not in t][:3]
    assert [r.action for r in await bot.audit_rows()].count("forwarding.add") == len(bodies)


class CuttableProxy:
    """A TCP proxy to PostgreSQL that the test can cut (never touching the shared server)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.open = True
        self._links: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._links.update({writer, up_writer})

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def cut(self) -> None:
        self.open = False
        for link in list(self._links):
            link.close()
        self._links.clear()

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@pytest.fixture
async def proxied_postgres(
    postgres_url: str, postgres_dsn: str
) -> AsyncIterator[tuple[str, CuttableProxy]]:
    match = re.match(r"postgresql://([^@]+)@([^:/]+):(\d+)/", postgres_dsn)
    assert match, postgres_dsn
    proxy = CuttableProxy(match.group(2), int(match.group(3)))
    await proxy.start()
    yield postgres_url.replace(f"{match.group(2)}:{match.group(3)}", f"127.0.0.1:{proxy.port}"), proxy
    await proxy.stop()


async def test_postgres_connection_cut_mid_request(proxied_postgres: tuple[str, CuttableProxy]) -> None:
    url, proxy = proxied_postgres
    bot = await start_harness(url)
    try:
        await bot.command("alice", "/switchboard", "whoami")
        before = bot.rc_faults.count("POST", "/forwarding-number")
        proxy.cut()
        reply = await bot.command("alice", "/forward", "add 650 555 0194 Cut")
        assert reply.status == 200
        assert "Something went wrong (ref" in reply.text or "try again" in reply.text
        assert "Traceback" not in reply.text
        assert bot.rc_faults.count("POST", "/forwarding-number") == before  # nothing half-done
        proxy.open = True
        again = await bot.command("alice", "/forward", "add 650 555 0194 Cut")
        assert "Added" in again.text  # the pool recovers once the database is back
    finally:
        proxy.open = True
        await bot.close()
