"""SMSPartner callforward client. Decides on `success`, then on `code`; never on `message`.

There is no read call: the caller keeps the state it set. Repeating a request is safe
(a repeat only adds 16/17/18, which count as success), so 5xx and timeouts are retried.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from pydantic import SecretStr

from bot.providers.errors import ProviderError, Rejected
from bot.providers.http import Kind, ProviderHttp
from bot.providers.smspartner.declaration import SMSPARTNER

PATH = "/v1/vn/callforward"
DISABLED, FORWARD, VOICEMAIL = 0, 1, 2
ALREADY = {16, 17, 18}
CONFIG = "SMSPartner refused Switchboard's configuration; an admin has been told."
SENTENCES = {
    8: "Give a number (or an e-mail for voicemail).",
    9: "That e-mail address was rejected.",
    12: "SMSPartner rejected that number.",
    10: CONFIG,
    13: "That virtual number doesn't exist at SMSPartner; an admin has been told.",
    14: "Call forwarding isn't enabled for this virtual number; an admin has been told.",
    15: "This virtual number is deactivated; an admin has been told.",
}
ADMIN_CODES = {10, 13, 14, 15}
GENERIC = "SMSPartner couldn't change the forwarding; please try again later."


class SmsPartnerClient:
    provider = SMSPARTNER

    def __init__(
        self,
        *,
        http: ProviderHttp,
        api_key: SecretStr,
        alert: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._alert = alert
        self.last_outcome: str = "no call yet"

    async def set_forward(self, number: str, kind: int, param: str = "") -> int:
        """One callforward request; returns the code (16/17/18 = already so = success)."""
        body = {
            "apiKey": self._api_key.get_secret_value(),
            "number": number,
            "type": kind,
            "param": param,
        }
        request = self._http.client.build_request("POST", PATH, json=body)
        response = await self._http.send(request, kind=Kind.REPEATABLE, group=SMSPARTNER)
        try:
            answer = json.loads(response.content)
            success, code = bool(answer.get("success")), int(answer.get("code", -1))
        except (ValueError, TypeError, AttributeError):
            self.last_outcome = f"unreadable answer (HTTP {response.status_code})"
            raise ProviderError(
                "unreadable answer", provider=SMSPARTNER, status=response.status_code
            ) from None
        if success or code in ALREADY:
            self.last_outcome = f"ok (code {code})"
            return code
        self.last_outcome = f"refused (code {code})"
        sentence = SENTENCES.get(code, GENERIC)
        if code in ADMIN_CODES and self._alert is not None:
            await self._alert(f"SMSPartner refused a request for {number}: code {code}. {sentence}")
        raise Rejected(
            str(answer.get("message", "")),
            user_message=sentence,
            provider=SMSPARTNER,
            code=str(code),
        )

    async def probe(self) -> None:
        """No call without side effects exists: report configuration and the last real call."""
        if self.last_outcome.startswith(("refused (code 10", "unreadable")):
            raise ProviderError(self.last_outcome, provider=SMSPARTNER)
