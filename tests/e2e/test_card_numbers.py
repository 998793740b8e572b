"""Call cards keep their Forward buttons at burst rates: the numbers a ringing card
offers are kept in the store for everyone who wants cards, read ahead in the background, so
a card reads the store and never RingCentral (docs/contract.md "Live calls in Slack",
docs/design.md). A Forward press still checks the number afresh (tests/e2e/test_live_calls.py).
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.ringcentral.state import ForwardingNumber
from bot.devkit.shell.standin import Call
from bot.lifecycle import scheduler_for
from bot.services.actor import Actor
from bot.services.card_numbers import REFRESH_BATCH, REFRESH_EVERY
from bot.store import card_numbers as store
from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness, two_sharing_slack, user_id
from tests.helpers.live_calls import CALLER, cards_to, live, ring_alice

RINGCENTRAL_PEOPLE = ("alice", "bob", "carol", "admin", "erin", "frank", "grace")


def numbers_read(app: RingCentralEmulator) -> int:
    """Reads of any extension's forwarding numbers RingCentral has answered."""
    return sum(n for key, n in app.faults.requests.items() if key.endswith("/forwarding-number"))


def offered(card: Call) -> list[str]:
    """The numbers a card's Forward buttons offer."""
    return re.findall(r'"n":"(\+\d+)"', str(card.args["blocks"]))


async def tick(bot: Harness, later: timedelta = timedelta(0)) -> None:
    await scheduler_for(bot.runtime).tick(bot.runtime.clock() + later)


async def test_opting_in_reads_the_numbers_ahead_and_a_card_reads_none(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    before = numbers_read(bot._rc_app)
    await tick(bot)
    assert numbers_read(bot._rc_app) == before + 1  # read in the background, ahead of any call
    await tick(bot)
    assert numbers_read(bot._rc_app) == before + 1  # not again before it is due
    _, card = await ring_alice(bot)
    assert "Forward to my Mobile" in str(card.args["blocks"])
    assert numbers_read(bot._rc_app) == before + 1  # the card read the store


async def test_numbers_changed_in_ringcentral_reach_the_cards_at_the_next_read(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    await tick(bot)
    # changed in RingCentral's own app, so Switchboard can't know until it reads them again
    bot.rc.extensions[ALICE_EXT].forwarding.append(
        ForwardingNumber("desk-1", "Other", "+14155550177", "Desk", "")
    )
    _, card = await ring_alice(bot)
    assert "+14155550177" not in offered(card)
    read = numbers_read(bot._rc_app)
    await tick(bot, REFRESH_EVERY - timedelta(minutes=5))
    assert numbers_read(bot._rc_app) == read  # not yet due
    await tick(bot, REFRESH_EVERY + timedelta(minutes=1))
    assert numbers_read(bot._rc_app) == read + 1
    bot.slack.drain()
    _, card = await ring_alice(bot)
    assert "+14155550177" in offered(card)


async def test_a_tick_reads_a_few_and_the_next_the_rest(bot: Harness) -> None:
    for who in RINGCENTRAL_PEOPLE:
        await bot.command(who, "/switchboard", "calls on")
    before = numbers_read(bot._rc_app)
    await tick(bot)
    assert numbers_read(bot._rc_app) == before + REFRESH_BATCH
    await tick(bot)
    assert numbers_read(bot._rc_app) == before + len(RINGCENTRAL_PEOPLE)
    for who in RINGCENTRAL_PEOPLE:
        kept = await store.of(bot.runtime.database, slack_user_id=user_id(who))
        assert kept is not None
        assert kept.read_at is not None  # read, whatever numbers they have


async def test_turning_cards_off_forgets_the_numbers(bot: Harness) -> None:
    await bot.command("alice", "/switchboard", "calls on")
    await tick(bot)
    assert await store.of(bot.runtime.database, slack_user_id=user_id("alice")) is not None
    await bot.command("alice", "/switchboard", "calls off")
    assert await store.of(bot.runtime.database, slack_user_id=user_id("alice")) is None
    before = numbers_read(bot._rc_app)
    await bot.command("alice", "/forward", "list")  # a read of a line nobody keeps: nothing kept
    assert numbers_read(bot._rc_app) == before + 1
    assert await store.of(bot.runtime.database, slack_user_id=user_id("alice")) is None


async def test_a_signed_in_owners_numbers_are_read_ahead_with_their_own_login(bot: Harness) -> None:
    from tests.helpers.sign_in import connect, tokens_of

    await connect(bot, "alice")
    await bot.command("alice", "/switchboard", "calls on")
    own = tokens_of(bot, ALICE_EXT)

    def light_reads() -> int:
        seen = bot._rc_app.buckets._seen
        return sum(
            len(t)
            for (bearer, group), t in seen.items()
            if group == "Light" and bearer.removeprefix("Bearer ") in own
        )

    before = light_reads()
    await tick(bot)
    assert light_reads() > before  # her own budget, not the administrator's


async def test_numbers_kept_by_one_instance_serve_the_cards_of_another(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    async with two_sharing_slack(postgres_url, url) as (first, second):
        await first.command("alice", "/switchboard", "calls on")
        before = numbers_read(app)
        await asyncio.gather(tick(first), tick(second))  # both instances tick at once
        assert numbers_read(app) == before + 1  # one of them read her numbers, once
        second.runtime.push.public_url = second.url  # RingCentral pushes to the second
        assert await second.runtime.push.ensure() == "created"
        first.slack.drain()
        await app.phone.ring(ALICE_EXT, *CALLER)
        await second.runtime.tasks.wait_idle()
        cards = cards_to(first, user_id("alice"))  # one Slack stand-in for both
        assert len(cards) == 1
        assert "Forward to my Mobile" in str(cards[0].args["blocks"])
        assert numbers_read(app) == before + 1  # the second instance read the store


async def test_a_kept_number_gone_from_ringcentral_is_refused_when_pressed(bot: Harness) -> None:
    """A kept copy only suggests: the Forward press checks the number against a fresh read."""
    from tests.helpers.live_calls import button_on, press

    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    await tick(bot)
    session, card = await ring_alice(bot)
    forward = button_on(card, "call_card_forward:0")
    bot.rc.extensions[ALICE_EXT].forwarding.clear()  # removed in RingCentral's own app meanwhile
    reply = await press(bot, "alice", card, forward)
    assert "isn't one of your forwarding numbers" in reply.text
    assert session.moves == []  # nothing sent


async def test_a_read_sent_before_a_change_does_not_undo_it(bot: Harness) -> None:
    """Two instances: one's slow read of the numbers lands after the other's change was kept."""
    await bot.command("alice", "/switchboard", "calls on")
    await tick(bot)
    line = await bot.runtime.forwarding.line(Actor(user_id("alice"), False), user_id("alice"))
    sent = bot.runtime.clock()
    before = await bot.runtime.forwarding.numbers(line)
    await bot.command("alice", "/forward", "add +14155550199 desk")  # kept as changed
    kept = bot.runtime.cards.numbers_kept
    await kept.seen(line, before, sent)  # the earlier read's answer arrives only now
    after = await kept.kept(user_id("alice"), line.line_id)
    assert after is not None
    assert "+14155550199" in [n.phone for n in after]
