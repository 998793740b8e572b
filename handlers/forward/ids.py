"""Block Kit ids of /forward, in one place."""

from __future__ import annotations

import enum


class ActionId(enum.StrEnum):
    ROW = "forward_row"  # overflow on a number: edit / remove
    ADD = "forward_add"
    PICK_USER = "forward_pick_user"
    OPEN = "forward_open"  # App Home: open the modal
    VALUE = "value"  # the action id inside every input block


class ViewId(enum.StrEnum):
    LOADING = "forward_loading"
    LIST = "forward_list"
    ADD = "forward_add_form"
    EDIT = "forward_edit_form"
    REMOVE = "forward_remove_confirm"
    SAVING = "forward_saving"


class BlockId(enum.StrEnum):
    PHONE = "phone"
    LABEL = "label"
    PICKER = "picker"
