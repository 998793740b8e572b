"""Slow and failing providers: one sentence to the user, no 5xx, nothing doubled, 429 respected."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devkit.faults import Fault
from tests.helpers.harness import Harness, start_harness, user_id
from tests.helpers.providers import emulators

FAULTS = {
    "latency beyond the timeout": None,
    "429 with Retry-After": "429:1",
    "429 without Retry-After": "429",
    "500": "500",
    "503": "503",
    "connection reset": "drop",
}


@pytest.fixture
async def quick(sqlite_url: str) -> AsyncIterator[Harness]:
    """A bot whose waits are scaled down: 0.5 s read timeout, back-offs scaled by 0.01, short holds."""
    harness = await start_harness(sqlite_url, provider_timeout_seconds=0.5, switchboard_retry_scale=0.01)
    try:
        yield harness
    finally:
        await harness.close()


def inject(faults: object, method: str, path: str, fault: str | None) -> None:
    table = faults  # the emulator's fault table
    if fault is None:
        table.latency = 1.0  # type: ignore[attr-defined]
        return
    status, _, retry = fault.partition(":")
    table.add(  # type: ignore[attr-defined]
        Fault(
            method,
            path,
            status=None if status == "drop" else int(status),
            retry_after=float(retry) if retry else None,
        )
    )


def one_sentence(text: str) -> None:
    assert text.strip()
    assert "Traceback" not in text
    assert "{" not in text  # never a raw provider payload


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_ringcentral_read_faults(quick: Harness, fault: str | None) -> None:
    await quick.command("alice", "/switchboard", "whoami")
    inject(quick.rc_faults, "GET", "/forwarding-number", fault)
    reply = await quick.command("alice", "/forward", "list")
    assert reply.status == 200
    one_sentence(reply.text)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_ringcentral_create_is_never_doubled(quick: Harness, fault: str | None) -> None:
    await quick.command("alice", "/forward", "list")
    inject(quick.rc_faults, "POST", "/forwarding-number", fault)
    reply = await quick.command("alice", "/forward", "add 650 555 0193 Faulty")
    one_sentence(reply.text)
    assert quick.rc_faults.count("POST", "/forwarding-number") <= 1 or (
        fault and fault.startswith("429")
    )
    phones = [n.phone for n in quick.rc.extensions[2263488004].forwarding]
    assert phones.count("+16505550193") <= 1


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_transfer_is_never_doubled(quick: Harness, fault: str | None) -> None:
    await quick.command("alice", "/forward", "list")
    inject(quick.rc_faults, "POST", "/transfer", fault)
    reply = await quick.command("alice", "/transfer", "104")
    one_sentence(reply.text)
    sent = quick.rc_faults.count("POST", "/transfer")
    assert sent <= 1 or (fault or "").startswith("429")  # a 429 means it was not done: one retry


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_voipnow_transfer_faults(quick: Harness, fault: str | None) -> None:
    await quick.command("admin", "/switchboard", f"link <@{user_id('dave')}> voipnow:12/0003*210")
    app = emulators(quick.runtime).voipnow
    assert app is not None
    inject(app.faults, "PUT", "/uapi/phoneCalls", fault)
    reply = await quick.command("dave", "/transfer", "0003*024")
    one_sentence(reply.text)
    assert app.faults.count("PUT") <= 1 or (fault or "").startswith("429")


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_smspartner_callforward_faults(quick: Harness, fault: str | None) -> None:
    await quick.command("admin", "/switchboard", f"link <@{user_id('dave')}> smspartner:+33612345678")
    app = emulators(quick.runtime).smspartner
    assert app is not None
    inject(app.faults, "POST", "/v1/vn/callforward", fault)
    reply = await quick.command("dave", "/forward", "to +33 6 99 88 77 66")
    one_sentence(reply.text)


async def test_no_request_is_sent_during_a_429_penalty(quick: Harness) -> None:
    await quick.command("alice", "/forward", "list")
    quick.rc_faults.add(Fault("GET", "/forwarding-number", status=429, retry_after=60, times=1))
    first = await quick.command("alice", "/forward", "list")
    assert "busy" in first.text
    sent = quick.rc_faults.count("GET", "/forwarding-number")
    second = await quick.command("alice", "/forward", "list")
    assert "busy" in second.text
    assert quick.rc_faults.count("GET", "/forwarding-number") == sent


CALLS = {
    "features (Medium)": ("GET", "/features", "to mobile for 1h"),
    "answering rules list": ("GET", "/answering-rule", "status"),
    "custom rule create": ("POST", "/answering-rule", "to mobile for 1h"),
    "presence": ("GET", "/presence", None),
    "extension directory": ("GET", "/extension", None),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("fault", ["503", "drop", None], ids=["503", "reset", "slow"])
async def test_every_other_ringcentral_call_survives_a_fault(
    quick: Harness, call: tuple[str, str, str | None], fault: str | None
) -> None:
    method, path, forward_text = call
    if path != "/extension":
        await quick.command("alice", "/switchboard", "whoami")  # linked before the fault
    inject(quick.rc_faults, method, path, fault)
    if forward_text is not None:
        reply = await quick.command("alice", "/forward", forward_text)
    elif path == "/presence":
        reply = await quick.command("alice", "/transfer", "104")
    else:
        reply = await quick.command("bob", "/switchboard", "whoami")
    assert reply.status == 200
    one_sentence(reply.text)
    if method == "POST":
        assert quick.rc_faults.count(method, path) <= 1
