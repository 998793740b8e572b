"""Forwarding numbers through the client against the emulator: rules, paging, faults."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.providers.errors import NotFound, RateLimited, Rejected, Unavailable
from bot.providers.http import RetryPolicy
from tests.helpers.rc import ALICE, BOB, wired


async def test_list_create_update_delete_round_trip(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        numbers = await rc.client.forwarding.list(ALICE)
        assert [n.type for n in numbers] == ["Mobile", "Home", "PhoneLine"]
        made = await rc.client.forwarding.create(
            ALICE, phone_number="+16505550199", type="Other", label="Desk"
        )
        assert (made.label, made.type, "CallForwarding" in made.features) == ("Desk", "Other", True)
        changed = await rc.client.forwarding.update(
            ALICE, made.id, changes={"phoneNumber": "+16505550198"}
        )
        assert changed.phone_number == "+16505550198"
        await rc.client.forwarding.delete(ALICE, made.id)
        await rc.client.forwarding.delete(ALICE, made.id)  # 404 on a repeat is "done"
        assert len(await rc.client.forwarding.list(ALICE)) == 3


async def test_label_is_ignored_for_typed_numbers(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        made = await rc.client.forwarding.create(
            BOB, phone_number="+12125550100", type="Work", label="Office"
        )
        assert made.label == "Work"


@pytest.mark.parametrize(
    ("body_phone", "kind", "sentence"),
    [
        ("+16505550102", "Other", "someone in your company"),  # alice's direct number
        ("+14155550123", "Other", "already in your"),  # already alice's mobile
        ("12345", "Other", "check it"),
        ("+16505550177", "Mobile", "refused a second number of that type"),
    ],
)
async def test_platform_rules_become_rejected_with_a_sentence(
    sqlite_url: str, body_phone: str, kind: str, sentence: str
) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        with pytest.raises(Rejected) as caught:
            await rc.client.forwarding.create(ALICE, phone_number=body_phone, type=kind, label=None)
        assert sentence in caught.value.user_message
        assert caught.value.status == 400


async def test_ten_numbers_at_most(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        for i in range(7):
            await rc.client.forwarding.create(
                ALICE, phone_number=f"+1415555{i:04d}", type="Other", label=f"n{i}"
            )
        with pytest.raises(Rejected):
            await rc.client.forwarding.create(
                ALICE, phone_number="+14155559999", type="Other", label="x"
            )
        assert len(await rc.client.forwarding.list(ALICE)) == 10


async def test_non_admin_token_may_only_touch_its_own_extension(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False, as_email="alice@example.com") as rc:
        assert len(await rc.client.forwarding.list(ALICE)) == 3
        with pytest.raises(Rejected) as caught:
            await rc.client.forwarding.list(BOB)
        assert caught.value.status == 403
        assert "isn't allowed" in caught.value.user_message


async def test_503_on_create_is_sent_once_then_re_listed(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        rc.emulator.faults.add("POST /forwarding-number=503")
        with pytest.raises(Unavailable) as caught:
            await rc.client.forwarding.create(
                ALICE, phone_number="+16505550111", type="Other", label="x"
            )
        assert caught.value.sent
        assert rc.emulator.faults.count("POST", "/forwarding-number") == 1
        assert rc.emulator.faults.count("GET", "/forwarding-number") == 1  # re-read, never resent


async def test_timeout_on_create_reports_what_happened(sqlite_url: str) -> None:
    async with wired(sqlite_url, read_timeout=0.3) as rc:
        await rc.client.forwarding.list(ALICE)  # log in before slowing down
        rc.emulator.faults.latency = 0.6
        with pytest.raises(Unavailable):
            await rc.client.forwarding.create(
                ALICE, phone_number="+16505550112", type="Other", label="x"
            )
        assert rc.emulator.faults.count("POST", "/forwarding-number") == 1


async def test_connection_drop_on_read_is_retried(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        await rc.client.forwarding.list(ALICE)
        rc.emulator.faults.add("GET /forwarding-number=dropx1")
        assert len(await rc.client.forwarding.list(ALICE)) == 3
        assert rc.emulator.faults.count("GET", "/forwarding-number") == 3


async def test_429_holds_the_group_then_succeeds(sqlite_url: str) -> None:
    async with wired(sqlite_url, policy=RetryPolicy(scale=0.01, max_hold_wait=5)) as rc:
        await rc.client.forwarding.list(ALICE)
        rc.emulator.faults.add("GET /forwarding-number=429:1x1")
        numbers = await rc.client.forwarding.list(ALICE)
        assert len(numbers) == 3
        assert rc.emulator.faults.count("GET", "/forwarding-number") == 3  # ok, 429, ok after the hold


async def test_long_429_penalty_fails_fast_and_sends_nothing(sqlite_url: str) -> None:
    async with wired(sqlite_url, policy=RetryPolicy(scale=0.01, max_hold_wait=1)) as rc:
        await rc.client.forwarding.list(ALICE)
        rc.emulator.faults.add("GET /forwarding-number=429:30x1")
        with pytest.raises(RateLimited):
            await rc.client.forwarding.list(ALICE)
        sent = rc.emulator.faults.count("GET", "/forwarding-number")
        with pytest.raises(RateLimited) as caught:
            await rc.client.forwarding.list(ALICE)
        assert (
            rc.emulator.faults.count("GET", "/forwarding-number") == sent
        )  # nothing during the penalty
        assert caught.value.retry_after > 20


async def test_deleting_a_missing_number_is_done_and_reading_it_is_not_found(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        await rc.client.forwarding.delete(ALICE, "nope")
        with pytest.raises(NotFound):
            await rc.client.forwarding.get(ALICE, "nope")


LABELS = st.text(min_size=0, max_size=80)
PHONES = st.one_of(st.from_regex(r"\+1415555\d{4}", fullmatch=True), st.text(max_size=20))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    phone=PHONES,
    kind=st.sampled_from(["Other", "Home", "Work", "Mobile", "PhoneLine", "Fax"]),
    label=LABELS,
)
async def test_validation_rules_hold_for_any_input(
    sqlite_url: str, phone: str, kind: str, label: str
) -> None:
    """Whatever is sent: accepted only when every rule holds, else Rejected; never a crash."""
    async with wired(sqlite_url, socket=False) as rc:
        before = await rc.client.forwarding.list(BOB)
        valid_phone = phone.startswith("+1415555") and len(phone) == 12
        acceptable = (
            kind in {"Other", "Home", "Work"}
            and valid_phone
            and (kind != "Other" or len(label.strip() or "x") <= 60)
        )
        try:
            made = await rc.client.forwarding.create(BOB, phone_number=phone, type=kind, label=label)
        except Rejected:
            assert not acceptable
            assert await rc.client.forwarding.list(BOB) == before
        else:
            assert acceptable
            assert made.label == (label.strip() or "Other" if kind == "Other" else kind)
