"""An adapter brings an object for each capability its provider declares, and none it doesn't
(`Adapter.__post_init__`): a declaration can't promise what the registry can't hand out."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from bot.domain.capabilities import Capability
from bot.providers.base import BROUGHT_BY, RIDERS, Adapter
from bot.providers.voipnow import declaration as voipnow


class _Client:
    provider = voipnow.VOIPNOW

    async def probe(self) -> None:
        return None


def test_a_declared_capability_without_its_object_is_refused() -> None:
    claims = replace(voipnow.DECLARATION, capabilities=frozenset({Capability.CALL_CONTROL}))
    with pytest.raises(TypeError, match="voipnow declares CALL_CONTROL but brings no live_calls"):
        Adapter(claims, _Client())


def test_an_object_for_an_undeclared_capability_is_refused() -> None:
    bare = replace(voipnow.DECLARATION, capabilities=frozenset())
    with pytest.raises(TypeError, match="voipnow does not declare DIRECTORY but brings a directory"):
        Adapter(bare, _Client(), directory=object())  # type: ignore[arg-type]
    Adapter(bare, _Client())  # nothing declared, nothing brought


def test_every_capability_names_the_adapter_object_bringing_it() -> None:
    assert set(BROUGHT_BY) == set(Capability)
    others = {"declaration", "client", "sign_in", "virtual_numbers"}  # not a capability's object
    objects = {f.name for f in fields(Adapter)} - others
    assert set(BROUGHT_BY.values()) == objects, "an Adapter object no capability names, or gone"


def test_a_rider_may_be_left_undeclared() -> None:
    rides = replace(voipnow.DECLARATION, capabilities=frozenset({Capability.CALL_CONTROL}))
    assert Capability.CALL_FLIP in RIDERS  # VoipNow transfers, it doesn't flip
    Adapter(rides, _Client(), live_calls=object())  # type: ignore[arg-type]
