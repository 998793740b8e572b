"""Hostile input: never a 500, never a trace to the user, never an action on someone else's line."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, user_id

COMMANDS = ["/forward", "/transfer", "/oncall", "/switchboard"]
NASTY = st.sampled_from(
    [
        "<!channel>",
        "<@U0OTHER>",
        "&lt;b&gt;",
        "<https://evil.example|click>",
        "*bold*",
        "`x`",
        "\u202e",
        "🙂" * 50,
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    NASTY,
    st.lists(st.one_of(NASTY, st.text(max_size=20)), max_size=8).map(" ".join),
)
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

seen_5xx: list[int] = []


def no_trace(reply_text: str) -> None:
    assert "Traceback" not in reply_text
    assert 'File "' not in reply_text


@SLOW
@given(command=st.sampled_from(COMMANDS), text=TEXT)
async def test_random_slash_command_text(bot: Harness, command: str, text: str) -> None:
    before = {
        ext: [n.phone for n in e.forwarding] for ext, e in bot.rc.extensions.items() if ext != 2263488004
    }
    reply = await bot.command("alice", command, text)
    assert reply.status == 200
    no_trace(reply.text)
    after = {
        ext: [n.phone for n in e.forwarding] for ext, e in bot.rc.extensions.items() if ext != 2263488004
    }
    assert after == before  # alice (not an admin) never changes anyone else's numbers


@SLOW
@given(label=NASTY)
async def test_injection_in_labels_is_shown_inert(bot: Harness, label: str) -> None:
    await bot.command("alice", "/forward", f"add 650 555 0177 {label}")
    reply = await bot.command("alice", "/forward", "list")
    shown = json.dumps([c.args for c in reply.calls])
    assert "<!channel>" not in shown
    assert "<@U0OTHER>" not in shown
    await bot.command("alice", "/forward", "remove 650 555 0177")


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)


@SLOW
@given(
    kind=st.sampled_from(
        ["block_actions", "view_submission", "view_closed", "shortcut", "nonsense", None]
    ),
    extra=st.dictionaries(
        st.sampled_from(["view", "actions", "user", "container", "state", "trigger_id"]), JSONISH
    ),
)
async def test_malformed_interactivity_payloads(
    bot: Harness, kind: str | None, extra: dict[str, Any]
) -> None:
    payload: dict[str, Any] = {
        "type": kind,
        "team": {"id": "T0SWITCHB"},
        "user": {"id": user_id("alice")},
    }
    payload.update(extra)
    body = payloads.interactive(payload)
    response = await bot.post(body, signing.signed_headers(bot.secret, body))
    await bot.runtime.tasks.wait_idle()
    assert response.status_code < 500, response.text
    no_trace(response.text)


@SLOW
@given(
    callback=st.sampled_from(
        [
            "forward_add_form",
            "forward_edit_form",
            "forward_remove_confirm",
            "transfer_form",
            "oncall_rotation_form",
            "forward_toggle_form",
        ]
    ),
    metadata=st.one_of(st.text(max_size=60), JSONISH.map(json.dumps)),
)
async def test_forged_private_metadata_never_acts(bot: Harness, callback: str, metadata: str) -> None:
    view = {
        "id": "V123",
        "hash": "1.x",
        "callback_id": callback,
        "private_metadata": metadata,
        "type": "modal",
        "blocks": [],
        "state": {"values": {}},
    }
    body = payloads.view_submission(user_id=user_id("bob"), user_name="bob", view=view, values={})
    response = await bot.post(body, signing.signed_headers(bot.secret, body))
    await bot.runtime.tasks.wait_idle()
    assert response.status_code < 500, response.text
    assert [r.action for r in await bot.audit_rows() if r.action != "link.email"] == []


async def test_block_actions_without_a_usable_action_are_refused(bot: Harness) -> None:
    """Found by hypothesis in CI: Bolt reads actions[0] and each action's action_id."""
    cases: list[list[dict[str, Any]]] = [
        [],
        [{}],
        [{"action_id": 7}],
        [{"action_id": "call_card_voicemail"}, {"value": "x"}],
    ]
    for actions in cases:
        payload = {
            "type": "block_actions",
            "team": {"id": "T0SWITCHB"},
            "user": {"id": user_id("alice")},
        }
        body = payloads.interactive({**payload, "actions": actions})
        response = await bot.post(body, signing.signed_headers(bot.secret, body))
        assert response.status_code == 400, (actions, response.text)
