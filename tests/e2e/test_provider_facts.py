"""Facts of one provider that generic code asks of it (docs/adding-a-provider.md): the type
words `/forward` takes, the on-call advice's mobile type, a forwarding read kept per line ref.
Today's providers read as before; a person whose provider has no such fact isn't told to use
it."""

from __future__ import annotations

import json
from dataclasses import replace

from tests.helpers.emulated import link_dave
from tests.helpers.harness import Harness, user_id
from tests.helpers.modal import button, open_list
from tests.helpers.oncall import create_rotation

# As Slack gets it (what is typed is a code span, its `<` and `>` escaped).
AT_RISK = (
    "You are on call for *support*, but Switchboard has no number for you. Add a Mobile "
    "forwarding number (`/forward add &lt;number&gt; mobile`) or set one with "
    "`/oncall number &lt;number&gt;`."
)


def dms_to(bot: Harness, who: str) -> list[str]:
    return [
        str(c.args["text"])
        for c in bot.slack.of("chat.postMessage")
        if c.args["channel"] == user_id(who)
    ]


async def test_the_help_and_the_form_say_the_type_words_as_before(bot: Harness) -> None:
    forward = await bot.command("alice", "/forward", "frobnicate")
    assert "`/forward add <number> [label]` (`mobile`, `home`, `work` pick that type)" in forward.text
    oncall = await bot.command("alice", "/oncall", "help")
    assert "where to reach you when on call (default: your Mobile number)" in oncall.text
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", button(listing, "forward_add"), view=listing))
    assert "Label (mobile, home, work or any name)" in json.dumps(form)
    nowhere = await bot.command("alice", "/forward", "to nowhere")
    assert "Give a number or one of your labels (`mobile`, `home`…)." in nowhere.text


async def test_the_at_risk_advice_names_the_mobile_type_as_before(bot: Harness) -> None:
    await bot.command("admin", "/switchboard", f"link <@{user_id('mallory')}> 106")  # no numbers
    await create_rotation(bot, members=[user_id("mallory")])
    await bot.runtime.handoffs.tick()
    assert AT_RISK in dms_to(bot, "mallory")


async def test_without_forwarding_numbers_the_advice_is_only_a_chosen_number(bot: Harness) -> None:
    await link_dave(bot)  # a VoipNow line: no forwarding numbers, so no mobile type
    await create_rotation(bot, members=[user_id("dave")])
    await bot.runtime.handoffs.tick()
    advice = [t for t in dms_to(bot, "dave") if "no number for you" in t]
    assert advice == [
        "You are on call for *support*, but Switchboard has no number for you. "
        "Set one with `/oncall number &lt;number&gt;`."
    ]


async def test_a_read_of_the_numbers_is_kept_for_that_providers_line_only(bot: Harness) -> None:
    forwarding = bot.runtime.forwarding
    line = forwarding.line_of(await bot.runtime.identity.lines_of(user_id("alice")))
    assert line is not None
    await forwarding.numbers(line)
    assert forwarding.last_read(line, within=None)
    other = next(name for name in bot.runtime.providers.adapters if name != line.provider)
    same_id = replace(line, provider=other)  # another provider's line with the same id
    assert forwarding.last_read(same_id, within=None) is None
    assert forwarding.type_words(same_id) == []  # its provider keeps no forwarding numbers
    assert forwarding.mobile_type(same_id) is None
