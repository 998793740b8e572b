"""RingCentral's push deliveries as provider-neutral call events (docs/contract.md "Live calls
in Slack"): the call cards read only `CallEvent`s, so the notification's format is read here."""

from __future__ import annotations

from bot.domain.calls import CallEvent
from bot.domain.lines import LineRef
from bot.providers.push import Handshake
from bot.providers.ringcentral import notifications
from bot.providers.ringcentral.declaration import RINGCENTRAL


def party(extension: str, direction: str, code: str, **more: object) -> dict[str, object]:
    return {
        "id": f"p-{extension}-{direction}",
        "extensionId": extension,
        "direction": direction,
        "status": {"code": code},
        **more,
    }


def test_an_inbound_leg_at_an_extension_is_one_event_with_where_it_was_answered() -> None:
    note = {
        "body": {
            "telephonySessionId": "s-1",
            "sequence": 7,
            "parties": [
                party(
                    "101",
                    "Inbound",
                    "Answered",
                    **{"from": {"name": "Pat", "phoneNumber": "+16505550142"}},
                ),
                party("101", "Outbound", "Answered", to={"phoneNumber": "+14155550123"}),
                {"id": "p-x", "direction": "Inbound", "status": {"code": "Setup"}},  # no extension
            ],
        }
    }
    assert notifications.events(note) == [
        CallEvent(
            session_id="s-1",
            sequence=7,
            party_id="p-101-Inbound",
            line=LineRef(RINGCENTRAL, "101"),
            caller_name="Pat",
            caller_number="+16505550142",
            state="answered",
            answered_at="+14155550123",
        )
    ]


def test_party_states_read_as_card_states() -> None:
    read = notifications.state_of
    assert [read("Setup", None, False), read("Proceeding", None, False)] == ["ringing", "ringing"]
    assert read("VoiceMail", None, False) == "voicemail"
    assert read("Disconnected", "CallRedirected", False) == "forwarded"
    assert (read("Disconnected", None, True), read("Disconnected", None, False)) == ("missed", "ended")


def test_anything_else_is_no_event() -> None:
    notes: list[object] = [[], {"body": "x"}, {"body": {"parties": {}}}, {"event": "other"}]
    for note in notes:
        assert notifications.events(note) == []


def test_the_address_check_is_echoed_and_the_token_read_from_its_header() -> None:
    echoed = notifications.handshake({"validation-token": "v" * 300})
    assert echoed == Handshake(headers={"Validation-Token": "v" * 200}, media_type="application/json")
    assert notifications.handshake({"verification-token": "t"}) is None
    assert notifications.token({"verification-token": "t"}) == "t"
