"""The Block Kit builders make slack_sdk's models: the JSON Slack receives is their `to_dict()`,
which runs slack_sdk's checks of Slack's documented limits (docs/design.md)."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack import blocks


def test_a_section_with_a_button_is_the_json_it_always_was() -> None:
    built = blocks.section("*Hi*", blocks.button("Go", "go", "v1", style="primary"))
    assert isinstance(built, Block)
    assert built.to_dict() == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*Hi*"},
        "accessory": {
            "type": "button",
            "text": {"type": "plain_text", "text": "Go", "emoji": True},
            "action_id": "go",
            "value": "v1",
            "style": "primary",
        },
    }


def test_a_modal_form_is_the_json_it_always_was() -> None:
    choices = [blocks.option("One", "1"), blocks.option("Two", "2")]
    field = blocks.input_block("pick", "Pick", blocks.static_select("value", choices, choices[1]))
    typed = blocks.input_block(
        "typed", "Or", blocks.text_input("value", placeholder="a number"), optional=True
    )
    view = blocks.modal("form", "A form", [field, typed], '{"opener": "U1"}', submit="Save")
    assert isinstance(view, View)
    plain = {"type": "plain_text"}
    assert view.to_dict() == {
        "type": "modal",
        "callback_id": "form",
        "title": {**plain, "text": "A form"},
        "close": {**plain, "text": "Close"},
        "submit": {**plain, "text": "Save"},
        "private_metadata": '{"opener": "U1"}',
        "blocks": [
            {
                "type": "input",
                "block_id": "pick",
                "label": {**plain, "text": "Pick"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [
                        {"text": {**plain, "text": "One"}, "value": "1"},
                        {"text": {**plain, "text": "Two"}, "value": "2"},
                    ],
                    "initial_option": {"text": {**plain, "text": "Two"}, "value": "2"},
                },
            },
            {
                "type": "input",
                "block_id": "typed",
                "optional": True,
                "label": {**plain, "text": "Or"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "placeholder": {**plain, "text": "a number"},
                },
            },
        ],
    }


def test_the_answer_arguments_carry_models_and_leave_as_json() -> None:
    payload = blocks.message("Done.", [blocks.context("small print")])
    assert payload["text"] == "Done."
    assert [b.to_dict() for b in payload["blocks"]] == [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "small print"}]}
    ]
    assert "blocks" not in blocks.message("Done.")


def test_what_slack_would_refuse_is_refused_before_it_leaves() -> None:
    too_long_value = blocks.overflow("row", [blocks.option("Edit", "x" * 151)])
    with pytest.raises(SlackObjectFormationError):
        blocks.actions(too_long_value).to_dict()
    too_many = [blocks.section(str(n)) for n in range(101)]
    with pytest.raises(SlackObjectFormationError):
        blocks.home(too_many).to_dict()


def test_texts_are_cut_to_slack_s_limits_where_the_builders_always_cut_them() -> None:
    assert blocks.section("x" * 4000).to_dict()["text"]["text"] == "x" * blocks.SECTION_TEXT
    option = blocks.option("y" * 100, "v").to_dict()
    assert option["text"]["text"] == "y" * blocks.OPTION_TEXT
    title = "A title well over the limit"
    modal = blocks.modal("m", title, [blocks.divider()], "").to_dict()
    assert modal["title"]["text"] == title[:24]
