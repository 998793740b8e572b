"""Texts and the create/edit modal of /oncall."""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator

from bot.domain.records import Away, RotationRecord
from bot.domain.schedule import Shift
from bot.mrkdwn import code, escape, mention
from bot.oncall.service import Now
from bot.oncall.validation import RotationSpec
from bot.providers.specs import LineTyping
from bot.slack.blocks import (
    Block,
    Field,
    View,
    conversations_select,
    input_block,
    multi_users_select,
    option,
    section,
    static_select,
    text_input,
)
from bot.slack.blocks import modal as modal_view
from handlers.shared.forms import Form, Text, Texts
from handlers.shared.listeners import ViewMeta
from handlers.shared.when import local_time

CALLBACK = "oncall_rotation_form"
VALUE = "value"


def usage(mobile_type: str | None) -> str:
    """/oncall's help; `mobile_type`: the type of a person's mobile among the forwarding
    numbers of the providers in use (`ForwardingService.mobile_type`: the on-call default)."""
    default = f" (default: your {mobile_type} number)" if mobile_type else ""
    return "\n".join(
        [
            "*/oncall*: who is on call, and rotations",
            "• `/oncall [rotation]`: who is on call now and next",
            "• `/oncall take [rotation] [for 2h | until 18:00]`: take over (until the shift ends by default)",
            "• `/oncall release [rotation]`: end your override early; the schedule applies again",
            "• `/oncall give @user [rotation] [for 2h | until 18:00]`: cover or swap: hand your shift to a member",
            "• `/oncall schedule [rotation]`: the next two weeks",
            f"• `/oncall number <number>`: where to reach you when on call{default}",
            "• `/oncall create [name]`: create or edit a rotation (admins)",
            "• `/oncall delete <rotation>`: delete it; its hotline goes back as it was (admins)",
            "• `/oncall escalate <rotation> to next|@user|off [after 20s]`: when the on-call person "
            "doesn't answer, ring a backup (admins)",
            "• `/oncall group <rotation> [@handle|off]`: a Slack user group that is always who is on call "
            "(admins)",
            "• `/oncall calendar [rotation]` / `/oncall calendar reset [rotation]`: a private calendar feed "
            "of your shifts (or a rotation's), or a new address for it",
            "• `/oncall cover [rotation] [for 2h | until 18:00 | <from> to <to>]` / `/oncall cover cancel`: "
            'ask the channel for cover; the first member to press "Take it" gets the override',
            "• `/oncall away <from> to <to>` / `/oncall away cancel`: time off: you're skipped in every "
            "rotation and the next member in order covers",
        ]
    )


def now_text(state: Now, zone: str | None, at: datetime) -> str:
    rotation, current, upcoming = state.rotation, state.current, state.next
    taken = " (override)" if current.override else ""
    return (
        f"*{escape(rotation.name)}*: {mention(current.member)} is on call{taken} until "
        f"{local_time(current.end, zone, at)}, then {mention(upcoming.member)}. "
        f"Hotline {code(rotation.hotline_label)}."
    )


def schedule_text(
    rotation: RotationRecord,
    shifts: list[Shift],
    zone: str | None,
    at: datetime,
    time_off: list[Away] | None = None,
) -> str:
    rows = [
        f"• {local_time(s.start, zone, at)} → {local_time(s.end, zone, at)}  {mention(s.member)}"
        + (" (override)" if s.override else "")
        for s in shifts
    ]
    text = f"*{escape(rotation.name)}*, the next two weeks (your time):\n" + "\n".join(rows)
    if time_off:
        away = [
            f"• {mention(a.member)}: {local_time(max(a.start, at), zone, at)} → {local_time(a.end, zone, at)}"
            for a in time_off
        ]
        text += "\n*Time off* (the next member in order covers):\n" + "\n".join(away)
    return text


class RotationMeta(ViewMeta):
    """private_metadata of the rotation window: who opened it (nothing else travels)."""


class RotationForm(Form):
    """The rotation window as submitted (its fields are RotationSpec's, `shift_length` as typed)."""

    name: Text = ""
    hotline: Text = ""
    members: Texts = []
    shift_type: Text = ""
    shift_length: Text = "1"
    handoff: Text = ""
    timezone: Text = ""
    channel: Text = ""

    @field_validator("shift_length")
    @classmethod
    def _one_when_empty(cls, typed: str) -> str:
        return typed or "1"


def _input(block_id: str, label: str, element: Field, optional: bool = False) -> Block:
    return input_block(block_id, label, element, optional=optional)


def _text(initial: str = "", hint: str = "") -> Field:
    return text_input(VALUE, placeholder=hint or None, initial=initial or None)


def rotation_form(
    opener: str,
    timezone: str,
    existing: RotationRecord | None,
    typing: LineTyping,
    *,
    typed: RotationSpec | None = None,
    error: str | None = None,
) -> View:
    """The form: empty, an existing rotation's, or as typed again with `error` on top."""
    spec = typed or (_spec_of(existing) if existing else None)
    shift_types = [option(v, v) for v in ("hourly", "daily", "weekly")]
    kind = spec.shift_type if spec and spec.shift_type in ("hourly", "daily", "weekly") else "weekly"
    members = multi_users_select(VALUE, list(spec.members) if spec else None)
    channel = conversations_select(VALUE, spec.channel if spec else None)
    blocks: list[Block] = [section(f":warning: {error}")] if error else []
    blocks += [
        _input("name", "Name (one word)", _text(spec.name if spec else "", "support")),
        _input(
            "hotline",
            typing.hotline_label,
            _text(spec.hotline if spec else "", "200"),
        ),
        _input("members", "Members, in rotation order", members),
        _input(
            "shift_type",
            "Shifts",
            static_select(VALUE, shift_types, option(kind, kind)),
        ),
        _input(
            "shift_length",
            "Shift length (in those units)",
            _text(str(spec.shift_length) if spec else "1"),
        ),
        _input("handoff", "Handoff time (local)", _text(spec.handoff if spec else "09:00")),
        _input("timezone", "Time zone", _text(spec.timezone if spec else timezone)),
        _input("channel", "Channel for handoff notices", channel),
    ]
    return modal_view(
        CALLBACK, "On-call rotation", blocks, RotationMeta(opener=opener).dump(), submit="Save"
    )


def _spec_of(rotation: RotationRecord) -> RotationSpec:
    schedule = rotation.schedule
    return RotationSpec(
        name=rotation.name,
        hotline=rotation.hotline_label,
        members=list(schedule.members),
        shift_type=schedule.shift_type,
        shift_length=schedule.shift_length,
        handoff=schedule.handoff.strftime("%H:%M"),
        timezone=schedule.timezone,
        channel=rotation.channel,
    )


def notice(opener: str, text: str) -> View:
    """The modal while saving, and once saved."""
    return modal_view(
        CALLBACK + "_done", "On-call rotation", [section(text)], RotationMeta(opener=opener).dump()
    )
