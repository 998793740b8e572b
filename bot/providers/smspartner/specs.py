"""An SMSPartner line as typed: one of the virtual numbers this deployment manages."""

from __future__ import annotations

from bot.domain.lines import LineRef
from bot.domain.notices import Verbatim, message
from bot.errors import UserError, number_refused
from bot.phone import InvalidNumber, to_e164
from bot.providers.smspartner.declaration import SMSPARTNER
from bot.providers.specs import SpecContext, Usage, admin_link
from bot.store.links import LinkRecord


def managed_number(raw: str, region: str, virtual_numbers: frozenset[str]) -> str:
    """A virtual number this deployment manages (SMSPARTNER_NUMBERS), as E.164."""
    try:
        number = to_e164(raw, region)
    except InvalidNumber as exc:
        raise UserError(number_refused(exc)) from None
    if number not in virtual_numbers:
        raise UserError("That virtual number isn't one this deployment manages (SMSPARTNER_NUMBERS).")
    return number


TYPED = message(Verbatim("smspartner:<number>"))
USAGE = Usage(link=TYPED, prefixed=TYPED, hotline=TYPED, hotline_label="smspartner:<number>")


class SmsPartnerSpec:
    usage = USAGE

    async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
        number = managed_number(value.strip(), context.region, context.virtual_numbers)
        return admin_link(slack_user_id, SMSPARTNER, number, number, f"Virtual number {number}")

    async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
        number = managed_number(value, context.region, context.virtual_numbers)
        return str(LineRef(SMSPARTNER, number)), number

    def extension_digits(self, typed: str) -> str | None:
        return None  # its lines are virtual numbers: no extensions
