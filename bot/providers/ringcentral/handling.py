"""Call handling on RingCentral: which model an extension uses, legacy answering rules (v1)
and comm-handling states and state rules (v2).

v2 resources are kept as verbatim JSON: the quick toggle snapshots them and writes them
back exactly, and a state-rule PATCH replaces the whole `dispatching` (read, modify, write).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any

from bot.providers.errors import NotFound, Unavailable
from bot.providers.http import Kind
from bot.providers.ringcentral.models import FeatureList
from bot.providers.ringcentral.paths import ACCOUNT
from bot.providers.ringcentral.requests import Requests

FEATURE = "NewCallHandlingAndForwarding"
V2 = "/restapi/v2/accounts/~/extensions"

Json = dict[str, Any]


class Model(enum.StrEnum):
    LEGACY = "legacy"  # v1 answering rules
    NEW = "new"  # v2 comm-handling


class CallHandling:
    def __init__(self, requests: Requests) -> None:
        self._requests = requests
        self._models: dict[str, Model] = {}

    async def model(self, extension_id: str, *, fresh: bool = False) -> Model:
        """The feature check (Medium), cached per extension; `fresh` re-detects."""
        if fresh or extension_id not in self._models:
            path = f"{ACCOUNT}/extension/{extension_id}/features"
            features = await self._requests.call(
                "GET", path, FeatureList, group="Medium", params={"featureId": FEATURE}
            )
            new = any(
                p.name == "isNewBackendAvailable" and p.value.lower() == "true"
                for record in features.records
                if record.id == FEATURE
                for p in record.params
            )
            self._models[extension_id] = Model.NEW if new else Model.LEGACY
        return self._models[extension_id]

    # -- v1 answering rules -----------------------------------------------------------

    def _rules(self, extension_id: str) -> str:
        return f"{ACCOUNT}/extension/{extension_id}/answering-rule"

    async def list_rules(self, extension_id: str, *, type: str | None = None) -> list[Json]:
        params = {"type": type, "view": "Detailed"} if type else {"view": "Detailed"}
        body = await self._requests.call_json(
            "GET", self._rules(extension_id), group="Medium", params=params
        )
        return list(body.get("records", []))

    async def get_rule(self, extension_id: str, rule_id: str) -> Json:
        return await self._requests.call_json(
            "GET", f"{self._rules(extension_id)}/{rule_id}", group="Light"
        )

    async def create_custom_rule(self, extension_id: str, rule: Json) -> Json:
        """POST once; after an uncertain answer, find it again by its (unique) name."""
        return await self._create_once(
            self._rules(extension_id),
            rule,
            key="name",
            find=lambda: self.list_rules(extension_id, type="Custom"),
        )

    async def delete_rule(self, extension_id: str, rule_id: str) -> None:
        """DELETE; 404 means already gone, which is what we wanted."""
        await self._delete_once(
            f"{self._rules(extension_id)}/{rule_id}",
            still_there=lambda: self.get_rule(extension_id, rule_id),
        )

    # -- both models: a rule is created once and deleted until gone ---------------------

    async def _create_once(
        self, path: str, rule: Json, *, key: str, find: Callable[[], Awaitable[list[Json]]]
    ) -> Json:
        """POST once (never resent); after an uncertain answer, look among `find()` for
        the rule with the same (unique) `key`, else re-raise."""
        try:
            return await self._requests.call_json(
                "POST", path, group="Medium", kind=Kind.CREATE, json=rule
            )
        except Unavailable as exc:
            if not exc.sent:
                raise
            for existing in await find():
                if existing.get(key) == rule.get(key):
                    return existing
            raise

    async def _delete_once(self, path: str, *, still_there: Callable[[], Awaitable[Json]]) -> None:
        """DELETE; 404 means already gone. After an uncertain answer, `still_there()`
        (a read that raises NotFound once it is gone) decides whether to send it again."""
        try:
            await self._requests.send("DELETE", path, group="Medium", kind=Kind.WRITE)
        except NotFound:
            return
        except Unavailable as exc:
            if not exc.sent:
                raise
            try:
                await still_there()
            except NotFound:
                return
            await self._requests.send("DELETE", path, group="Medium", kind=Kind.WRITE)

    # -- v2 comm-handling ---------------------------------------------------------------

    async def call_flip_numbers(self, extension_id: str) -> list[Json]:
        """Upgraded extensions' flip numbers (`id`, `phoneNumber`, `type`, `label`,
        `flipNumber`): the v2 API the migration guide moves them to
        (https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/migration-guide)."""
        path = f"{V2}/{extension_id}/call-flip-numbers"
        body = await self._requests.call_json("GET", path, group="Light")
        return [r for r in body.get("records", []) if isinstance(r, dict)]

    def _v2(self, extension_id: str) -> str:
        return f"{V2}/{extension_id}/comm-handling"

    async def get_state(self, extension_id: str, state_id: str) -> Json:
        return await self._requests.call_json(
            "GET", f"{self._v2(extension_id)}/states/{state_id}", group="Medium"
        )

    async def patch_state(self, extension_id: str, state_id: str, changes: Json) -> Json:
        path = f"{self._v2(extension_id)}/states/{state_id}"
        return await self._requests.call_json(
            "PATCH", path, group="Medium", kind=Kind.WRITE, json=changes
        )

    async def get_state_rule(self, extension_id: str, state_id: str) -> Json:
        path = f"{self._v2(extension_id)}/voice/state-rules/{state_id}"
        return await self._requests.call_json("GET", path, group="Medium")

    async def put_state_rule_dispatching(
        self, extension_id: str, state_id: str, dispatching: Json
    ) -> Json:
        """PATCH that behaves like PUT: always send the whole `dispatching`."""
        path = f"{self._v2(extension_id)}/voice/state-rules/{state_id}"
        return await self._requests.call_json(
            "PATCH", path, group="Medium", kind=Kind.WRITE, json={"dispatching": dispatching}
        )

    # -- v2 custom (interaction) rules ------------------------------------------------

    def _interaction(self, extension_id: str) -> str:
        return f"{self._v2(extension_id)}/voice/interaction-rules"

    async def list_interaction_rules(self, extension_id: str) -> list[Json]:
        body = await self._requests.call_json("GET", self._interaction(extension_id), group="Medium")
        return list(body.get("records", []))

    async def get_interaction_rule(self, extension_id: str, rule_id: str) -> Json:
        path = f"{self._interaction(extension_id)}/{rule_id}"
        return await self._requests.call_json("GET", path, group="Medium")

    async def create_interaction_rule(self, extension_id: str, rule: Json) -> Json:
        """POST once; after an uncertain answer, find it again by its (unique) name."""
        return await self._create_once(
            self._interaction(extension_id),
            rule,
            key="displayName",
            find=lambda: self.list_interaction_rules(extension_id),
        )

    async def delete_interaction_rule(self, extension_id: str, rule_id: str) -> None:
        """DELETE; 404 means already gone."""
        await self._delete_once(
            f"{self._interaction(extension_id)}/{rule_id}",
            still_there=lambda: self.get_interaction_rule(extension_id, rule_id),
        )
