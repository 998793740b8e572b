"""On-call rotations: the create form, its outcome, and where the hotline rings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.devkit.shell import payloads
from bot.domain.schedule import on_call, timeline
from bot.store import rotations as store
from tests.helpers.emulated import HOTLINE_EXT
from tests.helpers.harness import Harness, user_id


def this_hour() -> str:
    """The hour now began in Los Angeles: the first member is on call for the next 23+ hours,
    whatever time the suite runs (a fixed 09:00 put the last member on call before 09:00)."""
    return datetime.now(ZoneInfo("America/Los_Angeles")).strftime("%H:00")


def form_values(name: str, members: list[str], **extra: str) -> dict[str, Any]:
    text = {
        "name": name,
        "hotline": "200",
        "shift_length": "1",
        "handoff": this_hour(),
        "timezone": "America/Los_Angeles",
    }
    text.update(extra)
    values: dict[str, Any] = {
        k: {"value": {"type": "plain_text_input", "value": v}} for k, v in text.items()
    }
    values["members"] = {"value": {"type": "multi_users_select", "selected_users": members}}
    values["shift_type"] = {"value": {"type": "static_select", "selected_option": {"value": "daily"}}}
    values["channel"] = {"value": {"type": "conversations_select", "selected_conversation": "C0ONCALL"}}
    return values


async def create_rotation(
    bot: Harness,
    who: str = "admin",
    members: list[str] | None = None,
    *,
    name: str = "support",
    **extra: str,
) -> Any:
    opened = await bot.command(who, "/oncall", "create")
    form = bot.latest_view(opened)
    people = members or [user_id("alice"), user_id("bob")]
    values = form_values(name, people, **extra)
    body = payloads.view_submission(user_id=user_id(who), user_name=who, view=form, values=values)
    return await bot.signed(body)


def outcome(reply: Any) -> str:
    """What the rotation modal shows once the background save is done (saved, or why not)."""
    assert reply.body is not None
    assert reply.body["response_action"] == "update"  # "Saving…" in the ack, before any I/O
    updates = [c.args["view"] for c in reply.calls if c.method == "views.update"]
    assert updates, "the modal was never updated"
    return str(updates[-1]["blocks"][0]["text"]["text"])


def hotline_forwards_to(bot: Harness) -> str | None:
    ext = bot.rc.extensions[HOTLINE_EXT]
    rules = [r for r in ext.rules_v1.values() if r["type"] == "Custom"]
    assert len(rules) <= 1
    return rules[0]["unconditionalForwarding"]["phoneNumber"] if rules else None


async def on_call_and_next(bot: Harness, at: datetime | None = None) -> tuple[str, str]:
    """Who holds the hotline at `at`, and the next other member in the schedule (the rule)."""
    [rotation] = await bot.runtime.rotations.rotations()
    moment = at or datetime.now(UTC)
    async with bot.runtime.database.session() as session:
        overrides = await store.overrides(session, rotation_id=rotation.id, since=moment)
    shift = on_call(rotation.schedule, moment, overrides)
    ahead = timeline(rotation.schedule, shift.end, shift.end + timedelta(days=9), overrides)
    return shift.member, next(s.member for s in ahead if s.member != shift.member)
