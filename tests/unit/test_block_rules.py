"""The Slack stand-in refuses the Block Kit Slack refuses (bot/devkit/shell/block_rules.py,
docs/emulators.md): each rule refuses a planted violation and takes the limit itself."""

from __future__ import annotations

from typing import Any

import pytest

from bot.devkit.shell.block_rules import refusal, response_url_refusal


def text(value: str = "x") -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def options(count: int) -> list[dict[str, Any]]:
    return [{"text": text(f"Option {i}"), "value": f"v{i}"} for i in range(count)]


def section(block_id: str | None = None, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    if block_id is not None:
        block["block_id"] = block_id
    if accessory is not None:
        block["accessory"] = accessory
    return block


def field(element: dict[str, Any], block_id: str = "field") -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "label": text("Pick"), "element": element}


def modal(blocks: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    view: dict[str, Any] = {"type": "modal", "title": text("A form"), "blocks": blocks}
    view["submit"] = text("Save")
    view.update(fields)
    return view


def post(blocks: Any) -> dict[str, Any] | None:
    return refusal("chat.postMessage", {"channel": "C1", "text": "t", "blocks": blocks})


def open_view(view: Any) -> dict[str, Any] | None:
    return refusal("views.open", {"trigger_id": "t", "view": view})


def messages(answer: dict[str, Any] | None) -> list[str]:
    assert answer is not None, "expected a refusal"
    assert answer["ok"] is False
    return list(answer["response_metadata"]["messages"])


def refused_view(view: Any) -> str:
    answer = open_view(view)
    assert answer is not None, "expected a refusal"
    assert answer["error"] == "invalid_arguments", answer
    return " ".join(messages(answer))


def refused_message(blocks: Any) -> str:
    answer = post(blocks)
    assert answer is not None, "expected a refusal"
    assert answer["error"] == "invalid_blocks", answer
    assert all(m.startswith("[ERROR] ") for m in messages(answer))
    return " ".join(answer["errors"])


# -- element option counts -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["radio_buttons", "checkboxes"])
def test_radio_buttons_and_checkboxes_take_at_most_ten_options(kind: str) -> None:
    element = {"type": kind, "action_id": "value"}
    assert open_view(modal([field({**element, "options": options(10)})])) is None
    refused = refused_view(modal([field({**element, "options": options(11)})]))
    assert "no more than 10 items allowed [json-pointer:/view/blocks/0/element/options]" in refused
    assert post([section(accessory={**element, "options": options(10)})]) is None
    assert "no more than 10" in refused_message([section(accessory={**element, "options": options(12)})])


def test_a_static_select_takes_at_most_a_hundred_options_and_a_hundred_groups() -> None:
    select = {"type": "static_select", "action_id": "value"}
    assert open_view(modal([field({**select, "options": options(100)})])) is None
    assert "/view/blocks/0/element" in refused_view(modal([field({**select, "options": options(101)})]))
    groups = [{"label": text(f"G{i}"), "options": options(1)} for i in range(100)]
    assert open_view(modal([field({**select, "option_groups": groups})])) is None
    too_many = [*groups, {"label": text("G100"), "options": options(1)}]
    assert "option_groups" in refused_view(modal([field({**select, "option_groups": too_many})]))
    full = [{"label": text("G"), "options": options(100)}]
    assert open_view(modal([field({**select, "option_groups": full})])) is None
    overfull = [{"label": text("G"), "options": options(101)}]
    assert "option_groups/0" in refused_view(modal([field({**select, "option_groups": overfull})]))


def test_an_overflow_menu_takes_two_to_five_options() -> None:
    for count in (2, 5):
        menu = {"type": "overflow", "action_id": "row", "options": options(count)}
        assert post([section(accessory=menu)]) is None
    for count in (1, 6):
        menu = {"type": "overflow", "action_id": "row", "options": options(count)}
        assert "/blocks/0/accessory" in refused_message([section(accessory=menu)])


# -- block counts and the surfaces ----------------------------------------------------------


def test_a_message_holds_at_most_fifty_blocks() -> None:
    assert post([section() for _ in range(50)]) is None
    assert "no more than 50 items allowed [json-pointer:/blocks]" in refused_message(
        [section() for _ in range(51)]
    )


def test_a_modal_and_a_home_tab_hold_at_most_a_hundred_blocks() -> None:
    assert open_view(modal([section() for _ in range(100)])) is None
    assert "no more than 100 items allowed [json-pointer:/view/blocks]" in refused_view(
        modal([section() for _ in range(101)])
    )
    full = [section() for _ in range(100)]
    assert refusal("views.publish", {"user_id": "U1", "view": {"type": "home", "blocks": full}}) is None
    over = {"type": "home", "blocks": [*full, section()]}
    assert refusal("views.publish", {"user_id": "U1", "view": over}) is not None


def test_an_input_block_may_be_posted_in_a_message() -> None:
    """Input blocks work in messages since April 2021 (the Block Kit reference lists the
    plain-text input under Messages): not refused."""
    assert post([field({"type": "plain_text_input", "action_id": "value"})]) is None


def test_modal_only_elements_are_refused_in_a_message_and_a_home_tab() -> None:
    email = field({"type": "email_input", "action_id": "value"})
    assert open_view(modal([email])) is None
    assert "unsupported type: email_input" in refused_message([email])
    home = {"type": "home", "blocks": [email]}
    assert refusal("views.publish", {"user_id": "U1", "view": home}) is not None


# -- view fields ----------------------------------------------------------------------------


def test_a_modal_title_is_at_most_24_characters() -> None:
    assert open_view(modal([section()], title=text("x" * 24))) is None
    assert "[json-pointer:/view/title/text]" in refused_view(modal([section()], title=text("x" * 25)))


def test_close_and_submit_are_at_most_24_characters() -> None:
    assert open_view(modal([section()], close=text("x" * 24), submit=text("y" * 24))) is None
    assert "/view/close/text" in refused_view(modal([section()], close=text("x" * 25)))
    assert "/view/submit/text" in refused_view(modal([section()], submit=text("y" * 25)))


def test_a_modal_with_an_input_needs_submit() -> None:
    form = modal([field({"type": "plain_text_input", "action_id": "value"})])
    assert open_view(form) is None
    del form["submit"]
    assert "[json-pointer:/view/submit]" in refused_view(form)


def test_private_metadata_is_at_most_3000_characters() -> None:
    assert open_view(modal([section()], private_metadata="m" * 3000)) is None
    assert "/view/private_metadata" in refused_view(modal([section()], private_metadata="m" * 3001))


def test_callback_and_external_ids_are_at_most_255_characters() -> None:
    assert open_view(modal([section()], callback_id="c" * 255, external_id="e" * 255)) is None
    assert "/view/callback_id" in refused_view(modal([section()], callback_id="c" * 256))
    assert "/view/external_id" in refused_view(modal([section()], external_id="e" * 256))


def test_views_publish_takes_a_home_view_and_the_others_a_modal() -> None:
    assert refusal("views.publish", {"user_id": "U1", "view": modal([section()])}) is not None
    assert open_view({"type": "home", "blocks": [section()]}) is not None
    assert open_view("not json") is not None


# -- ids ------------------------------------------------------------------------------------


def test_block_ids_are_at_most_255_characters_and_unique() -> None:
    assert post([section("b" * 255), section("other")]) is None
    assert "/blocks/0/block_id" in refused_message([section("b" * 256)])
    assert "duplicate block_id: same [json-pointer:/blocks/1/block_id]" in refused_message(
        [section("same"), section("same")]
    )
    assert "duplicate block_id" in refused_view(modal([section("same"), section("same")]))


def test_action_ids_are_at_most_255_characters_and_unique_within_a_block() -> None:
    def button(action_id: str) -> dict[str, Any]:
        return {"type": "button", "text": text("Go"), "action_id": action_id}

    row = {"type": "actions", "elements": [button("a" * 255), button("b")]}
    assert post([row]) is None
    assert "/blocks/0/elements/0/action_id" in refused_message(
        [{"type": "actions", "elements": [button("a" * 256)]}]
    )
    assert (
        '`action_id` "go" already exists [json-pointer:/blocks/0/elements/1/action_id]'
        in refused_message([{"type": "actions", "elements": [button("go"), button("go")]}])
    )
    # the same action_id in two blocks is fine: unique "in the containing block"
    assert (
        post([{"type": "actions", "elements": [button("go")]}, section(accessory=button("go"))]) is None
    )


# -- slack_sdk's own checks, and the forms of the answers ------------------------------------


def test_slack_sdk_checks_run_too() -> None:
    assert "/blocks/0" in refused_message(
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    )
    assert "unsupported type: nonsense" in refused_message([{"type": "nonsense"}])


def test_every_chat_method_and_the_response_url_refuse_alike() -> None:
    bad = [section() for _ in range(51)]
    for method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
        answer = refusal(method, {"channel": "C1", "blocks": bad})
        assert answer is not None
        assert answer["error"] == "invalid_blocks"
    assert refusal("chat.postMessage", {"channel": "C1", "blocks": "not json"}) == {
        "ok": False,
        "error": "invalid_blocks_format",
    }
    assert response_url_refusal({"blocks": bad}) == "invalid_blocks"
    assert response_url_refusal({"blocks": [section()]}) is None
    assert response_url_refusal({"text": "no blocks"}) is None
    assert refusal("chat.postMessage", {"channel": "C1", "text": "no blocks"}) is None
