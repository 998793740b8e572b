"""A VoipNow line as typed: `<userId>/<extension>` (admins link them; never a hotline)."""

from __future__ import annotations

import re

from bot.domain.notices import Verbatim, message
from bot.errors import UserError
from bot.providers.specs import SpecContext, Usage, admin_link
from bot.providers.voipnow.declaration import VOIPNOW
from bot.store.links import LinkRecord

SPEC = re.compile(r"^(?P<user>\d+)/(?P<ext>\d{4}\*\d{3}|\d{3})$")
# An extension as `/transfer` takes it: extended `0003*210` (client code * extension) or short
# `210` (docs/providers.md, VoipNow's identifiers); the short part is what is dialled.
EXTENSION = re.compile(r"^(?:\d{4}\*)?(?P<short>\d{3})$")


TYPED = Verbatim("voipnow:<userId>/<extension>")
USAGE = Usage(link=message(TYPED), prefixed=message(Verbatim("voipnow:<userId>/<ext>")))


class VoipNowSpec:
    usage = USAGE

    async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
        match = SPEC.match(value.strip())
        if not match:
            raise UserError(
                message(
                    "A VoipNow line looks like ", TYPED, ", e.g. ", Verbatim("voipnow:12/0003*210"), "."
                )
            )
        return admin_link(slack_user_id, VOIPNOW, value.strip(), match["ext"], f"VoipNow {match['ext']}")

    async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
        return None

    def extension_digits(self, typed: str) -> str | None:
        match = EXTENSION.match(typed)
        return match["short"] if match else None
