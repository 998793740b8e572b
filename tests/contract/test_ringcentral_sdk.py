"""The emulator driven by RingCentral's official Python SDK (`ringcentral`) over a real socket,
and the emulator's rate limits (`--rate-limits`) as RingCentral enforces them.

The SDK is synchronous (requests); it runs in a worker thread while the emulator serves on
this test's event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from ringcentral import SDK
from ringcentral.http.api_exception import ApiException

from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import build_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator

ALICE = "2263488004"
ACCOUNT = "/restapi/v1.0/account/~"


@pytest.fixture
async def limited() -> AsyncIterator[tuple[RingCentralEmulator, str]]:
    app = build_emulator(rate_limits=True)
    server = LoopbackServer(app)
    url = await server.start()
    yield app, url
    await server.stop()


def logged_in(url: str, email: str = "admin@example.com") -> Any:
    platform = SDK("client-id", "client-secret", url).platform()
    platform.login(jwt=email)
    return platform


def sdk_tour(url: str) -> dict[str, Any]:
    platform = logged_in(url)
    seen: dict[str, Any] = {}
    me = platform.get(f"{ACCOUNT}/extension/~")
    seen["me"] = me.json_dict()
    seen["headers"] = me.response().headers  # case-insensitive, as HTTP headers are
    # paging: follow navigation.nextPage exactly as the SDK hands it over
    page = platform.get(f"{ACCOUNT}/extension", {"perPage": 3}).json_dict()
    names = [r["extensionNumber"] for r in page["records"]]
    while "nextPage" in page.get("navigation", {}):
        page = platform.get(page["navigation"]["nextPage"]["uri"]).json_dict()
        names += [r["extensionNumber"] for r in page["records"]]
    seen["all_extensions"] = names
    numbers = f"{ACCOUNT}/extension/{ALICE}/forwarding-number"
    made = platform.post(numbers, {"phoneNumber": "+16505550199", "label": "Desk", "type": "Other"})
    made_id = made.json_dict()["id"]
    platform.put(f"{numbers}/{made_id}", {"label": "Front desk"})
    seen["after_edit"] = platform.get(f"{numbers}/{made_id}").json_dict()
    platform.delete(f"{numbers}/{made_id}")
    seen["presence"] = platform.get(
        f"{ACCOUNT}/extension/{ALICE}/presence", {"detailedTelephonyState": "true"}
    ).json_dict()
    session_id = seen["presence"]["activeCalls"][0]["telephonySessionId"]
    session = platform.get(f"{ACCOUNT}/telephony/sessions/{session_id}").json_dict()
    party = next(p for p in session["parties"] if p.get("owner", {}).get("extensionId") == ALICE)
    moved = platform.post(
        f"{ACCOUNT}/telephony/sessions/{session_id}/parties/{party['id']}/transfer", {"voicemail": ALICE}
    )
    seen["transfer_status"] = moved.response().status_code
    seen["rules"] = platform.get(f"{ACCOUNT}/extension/{ALICE}/answering-rule").json_dict()
    for bad in ({"perPage": "abc"}, {"perPage": 0}):
        try:
            platform.get(f"{ACCOUNT}/extension", bad)
        except ApiException as exc:
            seen.setdefault("bad_paging", []).append(exc.api_response().json_dict())
    platform.refresh()
    seen["after_refresh"] = platform.get(f"{ACCOUNT}/extension/~").json_dict()["id"]
    platform.logout()
    return seen


async def test_the_official_sdk_finds_the_platform(platform: tuple[RingCentralEmulator, str]) -> None:
    app, url = platform
    seen = await asyncio.to_thread(sdk_tour, url)
    assert seen["me"]["id"] == 2263487004
    assert seen["me"]["uri"].startswith(url)  # uris name the host that was called
    assert "RCRequestId" in seen["headers"]
    assert seen["headers"]["X-Rate-Limit-Group"] == "Light"
    assert len(seen["all_extensions"]) == len(set(seen["all_extensions"])) > 3
    assert seen["after_edit"]["label"] == "Front desk"
    assert seen["presence"]["telephonyStatus"] != "NoCall"
    assert seen["transfer_status"] == 200
    assert seen["rules"]["records"]
    assert [b["errors"][0]["parameterName"] for b in seen["bad_paging"]] == ["perPage", "perPage"]
    assert seen["after_refresh"] == 2263487004
    assert not app.emulator_state.access_tokens or all(
        g.extension_id != 2263487004 for g in app.emulator_state.access_tokens.values()
    )


async def test_unknown_paths_and_methods_answer_ringcentrals_error_shape(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    _, url = platform
    async with httpx.AsyncClient(base_url=url) as http:
        missing = await http.get("/restapi/v1.0/nothing-here")
        wrong = await http.patch("/restapi/oauth/token")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["errorCode"]
    assert wrong.status_code == 405
    assert wrong.json()["errorCode"]


async def test_revoke_needs_client_credentials_and_revokes_what_it_is_given(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    app, url = platform
    token = await asyncio.to_thread(lambda: logged_in(url).auth().data()["access_token"])
    second = await asyncio.to_thread(lambda: logged_in(url).auth().data()["access_token"])
    async with httpx.AsyncClient(base_url=url) as http:
        anonymous = await http.post("/restapi/oauth/revoke", data={"token": token})
        assert token in app.emulator_state.access_tokens  # without client credentials: nothing
        done = await http.post("/restapi/oauth/revoke", data={"token": token}, auth=("id", "secret"))
        query = await http.post("/restapi/oauth/revoke", params={"token": second}, auth=("id", "secret"))
        nothing = await http.post("/restapi/oauth/revoke", auth=("id", "secret"))
    codes = (anonymous.status_code, done.status_code, query.status_code, nothing.status_code)
    assert codes == (401, 200, 200, 200)
    assert token not in app.emulator_state.access_tokens
    assert second not in app.emulator_state.access_tokens


async def test_the_51st_light_call_in_a_minute_is_throttled(
    limited: tuple[RingCentralEmulator, str],
) -> None:
    _, url = limited
    admin, alice = await asyncio.gather(
        asyncio.to_thread(lambda: logged_in(url).auth().data()["access_token"]),
        asyncio.to_thread(lambda: logged_in(url, "alice@example.com").auth().data()["access_token"]),
    )
    path = f"{ACCOUNT}/extension/~"
    async with httpx.AsyncClient(base_url=url) as http:
        answers = [await http.get(path, headers={"Authorization": f"Bearer {admin}"}) for _ in range(51)]
        other = await http.get(path, headers={"Authorization": f"Bearer {alice}"})
    assert [a.status_code for a in answers[:50]] == [200] * 50
    assert answers[49].headers["X-Rate-Limit-Remaining"] == "0"
    throttled = answers[50]
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "60"
    assert throttled.json()["errorCode"] == "CMN-301"
    assert throttled.headers["X-Rate-Limit-Group"] == "Light"
    assert throttled.headers["X-Rate-Limit-Limit"] == "50"
    assert other.status_code == 200  # another person's token has its own bucket


async def test_a_request_during_the_penalty_restarts_it(
    limited: tuple[RingCentralEmulator, str],
) -> None:
    app, _ = limited
    clock = [1000.0]
    app.buckets.clock = lambda: clock[0]
    key = ("Bearer x", "Heavy")
    assert all(app.buckets.admit(key)[0] for _ in range(10))
    assert not app.buckets.admit(key)[0]  # the 11th: 429, penalty until 1060
    clock[0] = 1059.0
    assert not app.buckets.admit(key)[0]  # during the penalty: refused, and restarted to 1119
    clock[0] = 1100.0
    assert not app.buckets.admit(key)[0]
    clock[0] = 1161.0
    assert app.buckets.admit(key)[0]


def test_the_emulators_throttling_groups_are_the_specs() -> None:
    """Each operation the emulator serves is in the group its `x-throttling-group` names."""
    from bot.devkit.ringcentral.platform import GROUPS
    from tests.helpers.openapi import operation_for

    for method, pattern, group in GROUPS:
        base = pattern.replace("[^/]+", "123").replace("\\.", ".")
        for sample in (
            base.replace("(token|revoke)", "token"),
            base.replace("(token|revoke)", "revoke"),
        ):
            op = operation_for(method, sample)
            assert op is not None, (method, sample)
            assert op.spec.get("x-throttling-group") == group, (method, op.template)


def sdk_operations(url: str) -> dict[str, Any]:
    """The operations added for RingCentral's SDK: bulk delete, rule update, number lists."""
    platform = logged_in(url)
    seen: dict[str, Any] = {}
    numbers = f"{ACCOUNT}/extension/{ALICE}/forwarding-number"

    def refused(call: Any) -> dict[str, Any]:
        try:
            call()
        except ApiException as exc:
            body: dict[str, Any] = exc.api_response().json_dict()
            return body
        raise AssertionError("accepted")

    made = [
        platform.post(
            numbers, {"phoneNumber": f"+1650555{n:04d}", "type": "Other", "label": f"n{n}"}
        ).json_dict()
        for n in range(7)
    ]  # alice has 3: now 10, and the tenth has no flip digit
    seen["tenth"] = made[-1]
    seen["flips"] = [m.get("flipNumber") for m in made]
    seen["dup_flip"] = refused(
        lambda: platform.put(f"{numbers}/{made[0]['id']}", {"flipNumber": made[1]["flipNumber"]})
    )
    phone_line = next(
        r for r in platform.get(numbers).json_dict()["records"] if r["type"] == "PhoneLine"
    )
    seen["phone_line"] = refused(
        lambda: platform.put(f"{numbers}/{phone_line['id']}", {"phoneNumber": "+16505550000"})
    )
    platform.delete(numbers, {"records": [{"id": m["id"]} for m in made]})
    seen["left"] = len(platform.get(numbers).json_dict()["records"])
    rules = f"{ACCOUNT}/extension/{ALICE}/answering-rule"
    rule = platform.post(
        rules,
        {
            "type": "Custom",
            "name": "Trip",
            "enabled": True,
            "callHandlingAction": "TakeMessagesOnly",
            "schedule": {"ranges": [{"from": "2026-12-01T10:00:00Z", "to": "2026-12-01T12:00:00Z"}]},
        },
    ).json_dict()
    seen["rule"] = platform.put(
        f"{rules}/{rule['id']}", {"enabled": False, "name": "Trip (off)"}
    ).json_dict()
    seen["account_numbers"] = platform.get(f"{ACCOUNT}/phone-number").json_dict()
    seen["my_numbers"] = platform.get(f"{ACCOUNT}/extension/~/phone-number").json_dict()
    return seen


async def test_the_sdk_can_use_every_operation_it_expects(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    _, url = platform
    seen = await asyncio.to_thread(sdk_operations, url)
    assert "flipNumber" not in seen["tenth"]
    assert seen["tenth"]["features"] == ["CallForwarding"]
    flips = [f for f in seen["flips"] if f]
    assert len(flips) == len(set(flips))
    assert seen["dup_flip"]["errors"][0]["parameterName"] == "flipNumber"
    assert seen["phone_line"]["errors"][0]["parameterName"] == "phoneNumber"
    assert seen["left"] == 3
    assert (seen["rule"]["enabled"], seen["rule"]["name"]) == (False, "Trip (off)")
    assert {r["usageType"] for r in seen["account_numbers"]["records"]} == {"DirectNumber"}
    # one's own direct number, and the company's main number every extension may use
    mine = {r["usageType"] for r in seen["my_numbers"]["records"]}
    assert mine == {"DirectNumber", "MainCompanyNumber"}


async def test_a_state_rule_target_the_spec_does_not_allow_is_refused(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    app, url = platform
    carol = 2263490004  # the new call-handling model
    state_id = next(iter(app.emulator_state.extensions[carol].state_rules_v2))
    path = f"/restapi/v2/accounts/~/extensions/{carol}/comm-handling/voice/state-rules/{state_id}"
    body = {
        "dispatching": {
            "type": "Terminating",
            "actions": [{"type": "TerminatingAction", "targets": [{"type": "SomewhereElse"}]}],
        }
    }

    def patch() -> dict[str, Any]:
        try:
            logged_in(url).patch(path, body)
        except ApiException as exc:
            refused: dict[str, Any] = exc.api_response().json_dict()
            return refused
        raise AssertionError("accepted")

    refused = await asyncio.to_thread(patch)
    assert "SomewhereElse" in refused["errors"][0]["message"]


async def test_voipnow_and_smspartner_emulators_answer_their_error_shapes() -> None:
    from bot.devkit.smspartner import build_emulator as smspartner
    from bot.devkit.voipnow import build_emulator as voipnow

    for app, shape in ((voipnow(), "error"), (smspartner(), "success")):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://x"
        ) as http:
            missing = await http.get("/nothing-here")
            assert missing.status_code == 404
            assert shape in missing.json()


async def test_the_added_operations_answer_the_specs_schemas(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    from tests.helpers.openapi import check_exchange

    _, url = platform
    token = await asyncio.to_thread(lambda: logged_in(url).auth().data()["access_token"])
    numbers = f"{ACCOUNT}/extension/{ALICE}/forwarding-number"
    rules = f"{ACCOUNT}/extension/{ALICE}/answering-rule"
    checked = set()
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        made = await http.post(
            numbers, json={"phoneNumber": "+16505550111", "type": "Other", "label": "x"}
        )
        rule = await http.post(
            rules,
            json={
                "type": "Custom",
                "name": "Trip",
                "enabled": True,
                "callHandlingAction": "TakeMessagesOnly",
                "schedule": {"ranges": [{"from": "2026-12-01T10:00:00Z", "to": "2026-12-01T12:00:00Z"}]},
            },
        )
        for response in (
            await http.get(f"{ACCOUNT}/phone-number"),
            await http.get(f"{ACCOUNT}/extension/~/phone-number"),
            await http.put(f"{rules}/{rule.json()['id']}", json={"enabled": False}),
            await http.delete(f"{rules}/{rule.json()['id']}"),
            await http.request("DELETE", numbers, json={"records": [{"id": made.json()["id"]}]}),
        ):
            assert response.status_code < 300, response.text
            checked.add(check_exchange(response.request, response))
    assert checked == {
        "listAccountPhoneNumbers",
        "listExtensionPhoneNumbers",
        "updateAnsweringRule",
        "deleteAnsweringRule",
        "deleteForwardingNumbers",
    }


def sign_in_with_code(url: str, email: str, client: str = "signin-client-id") -> dict[str, Any]:
    """The SDK's own authorization-code flow with PKCE, the emulator's login page in between."""
    import base64
    import hashlib
    import secrets
    import urllib.parse
    from urllib.parse import parse_qs, urlparse

    import requests
    from ringcentral.platform import platform as sdk_platform

    # ringcentral 0.9's login_url uses urllib.parse without importing it (an SDK bug).
    sdk_platform.urllib = urllib
    sdk = SDK(client, "client-secret", url).platform()
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect = "https://switchboard.example/ringcentral/oauth/callback"
    link = sdk.login_url(redirect, state="s-1", challenge=challenge)
    page = requests.get(link, timeout=5)
    signed = requests.post(link, data={"email": email}, allow_redirects=False, timeout=5)
    back = parse_qs(urlparse(signed.headers["Location"]).query)
    code = back["code"][0]
    seen: dict[str, Any] = {"page": page.status_code, "state": back["state"][0]}
    wrong = SDK(client, "client-secret", url).platform()
    try:
        wrong.login(code=code, redirect_uri=redirect, verifier=verifier + "x")
    except ApiException as exc:
        seen["wrong_verifier"] = exc.api_response().json_dict()["error"]
    again = requests.post(link, data={"email": email}, allow_redirects=False, timeout=5)
    code = parse_qs(urlparse(again.headers["Location"]).query)["code"][0]
    sdk.login(code=code, redirect_uri=redirect, verifier=verifier)
    seen["me"] = sdk.get(f"{ACCOUNT}/extension/~").json_dict()["contact"]["email"]
    try:
        SDK(client, "client-secret", url).platform().login(
            code=code, redirect_uri=redirect, verifier=verifier
        )
    except ApiException as exc:
        seen["reused"] = exc.api_response().json_dict()["error"]
    denied = requests.post(link, data={"email": email, "deny": "1"}, allow_redirects=False, timeout=5)
    seen["denied"] = parse_qs(urlparse(denied.headers["Location"]).query)["error"][0]
    return seen


async def test_the_sdks_authorization_code_flow_with_pkce(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    _, url = platform
    seen = await asyncio.to_thread(sign_in_with_code, url, "alice@example.com")
    assert seen["page"] == 200
    assert seen["state"] == "s-1"  # echoed back, as RingCentral does
    assert seen["wrong_verifier"] == "invalid_grant"  # PKCE checked (and the code is spent)
    assert seen["me"] == "alice@example.com"
    assert seen["reused"] == "invalid_grant"  # a code works once
    assert seen["denied"] == "access_denied"


def mixed_flows(url: str) -> dict[str, Any]:
    """One client id per auth flow: a JWT app tries a code, a code app tries a JWT."""
    seen: dict[str, Any] = {}
    logged_in(url)  # "client-id" is now a JWT app
    try:
        SDK("client-id", "client-secret", url).platform().login(
            code="any", redirect_uri="https://switchboard.example/cb", verifier="v"
        )
    except ApiException as exc:
        seen["code_on_jwt_app"] = (
            exc.api_response().response().status_code,
            exc.api_response().json_dict(),
        )
    import requests

    authorize = requests.get(
        f"{url}/restapi/oauth/authorize",
        params={"response_type": "code", "client_id": "client-id", "redirect_uri": "https://x/cb"},
        timeout=5,
    )
    seen["authorize_on_jwt_app"] = (authorize.status_code, authorize.json())
    sign_in_with_code(url, "alice@example.com", client="code-app")
    try:
        SDK("code-app", "client-secret", url).platform().login(jwt="alice@example.com")
    except ApiException as exc:
        seen["jwt_on_code_app"] = (
            exc.api_response().response().status_code,
            exc.api_response().json_dict(),
        )
    seen["jwt_still_works"] = logged_in(url).get(f"{ACCOUNT}/extension/~").json_dict()["id"]
    return seen


async def test_a_client_id_is_an_app_of_one_auth_flow(
    platform: tuple[RingCentralEmulator, str],
) -> None:
    """RingCentral: an app is configured for one auth flow; the other grant is refused."""
    app, url = platform
    seen = await asyncio.to_thread(mixed_flows, url)
    for key in ("code_on_jwt_app", "jwt_on_code_app", "authorize_on_jwt_app"):
        status, body = seen[key]
        assert status == 400
        assert body["error"] == "unauthorized_client"
        assert body["errors"][0]["errorCode"] == "OAU-112"
        assert body["errors"][0]["message"] == "Client is not authorized for the requested grant type"
    assert seen["jwt_still_works"] == 2263487004
    assert app.emulator_state.client_flows == {"client-id": "jwt", "code-app": "authorization_code"}
