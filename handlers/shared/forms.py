"""A submitted window's values read one way: each input (by its block id) as a field of a
pydantic model, whatever the element (typed text, a chosen option, users, a channel).

Every input of a Switchboard form has the action id `value`; what Slack sends for it is in
`view.state.values[block_id]["value"]` (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict

VALUE = "value"  # the action id of every input


def _text(raw: object) -> str:
    return "" if raw is None else str(raw).strip()


def _texts(raw: object) -> list[str]:
    return [str(item) for item in raw] if isinstance(raw, list) else []


Text = Annotated[str, BeforeValidator(_text)]  # "" when left empty; spaces around dropped
Texts = Annotated[list[str], BeforeValidator(_texts)]


class Form(BaseModel):
    """A window's values; subclasses name their fields after the block ids."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def of(cls, view: Mapping[str, Any]) -> Self:
        return cls.model_validate(values_of(view))


def values_of(view: Mapping[str, Any]) -> dict[str, object]:
    """{block id: what was typed or chosen} for each input of a submitted view."""
    state = view.get("state")
    blocks = state.get("values") if isinstance(state, dict) else None
    found: dict[str, object] = {}
    for block_id, actions in (blocks or {}).items():
        element = actions.get(VALUE) if isinstance(actions, dict) else None
        if isinstance(element, dict):
            found[str(block_id)] = _chosen(element)
    return found


def _chosen(element: dict[str, Any]) -> object:
    if "selected_option" in element:
        option = element["selected_option"]
        return option.get("value") if isinstance(option, dict) else None
    for key in ("selected_user", "selected_users", "selected_conversation"):
        if key in element:
            return element[key]
    return element.get("value")
