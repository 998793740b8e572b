"""A RingCentral line as typed: an extension number, looked up in the directory."""

from __future__ import annotations

import re

from bot.domain.lines import LineRef
from bot.domain.notices import Verbatim, message
from bot.errors import UserError
from bot.providers.specs import NotAHotline, SpecContext, Usage, admin_link
from bot.store.links import LinkRecord

USAGE = Usage(
    link=message("an extension (", Verbatim("102"), ")"),
    prefixed=None,  # typed bare: RingCentral brings the directory
    hotline=message(
        "a RingCentral department, call queue or IVR extension (e.g. ", Verbatim("200"), ")"
    ),
    hotline_label="RingCentral extension",
)
# What `/transfer` takes as an extension number of the account (the directory then says
# whether it is one): 2 to 5 digits, all of them dialled.
EXTENSION = re.compile(r"^\d{2,5}$")


class RingCentralSpec:
    usage = USAGE

    def extension_digits(self, typed: str) -> str | None:
        return typed if EXTENSION.match(typed) else None

    async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
        number = value.strip()
        if not number.isdigit() or context.directory is None:
            raise UserError(
                message(
                    "Give the RingCentral extension number, e.g. ",
                    Verbatim("/switchboard link @bob 103"),
                    ".",
                )
            )
        entry = await context.directory.find_by_extension_number(number)
        if entry is None:
            raise UserError(message("RingCentral has no extension ", Verbatim(number), "."))
        if not entry.enabled:
            raise UserError(
                message(
                    "Extension ", Verbatim(number), " is disabled in RingCentral, so it can't be linked."
                )
            )
        return admin_link(
            slack_user_id, entry.provider, entry.line_id, entry.extension_number, entry.name
        )

    async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
        """A Department, call queue or IVR extension (never a User's, whoever holds it)."""
        directory = context.directory
        entry = (
            await directory.find_by_extension_number(value) if directory and value.isdigit() else None
        )
        if entry is None:
            raise NotAHotline()
        if entry.is_person:
            raise NotAHotline(message(Verbatim(entry.extension_number), " is a person's extension. "))
        if not entry.enabled:
            raise UserError(
                message("Extension ", Verbatim(entry.extension_number), " is disabled in RingCentral.")
            )
        return str(LineRef(entry.provider, entry.line_id)), entry.extension_number
