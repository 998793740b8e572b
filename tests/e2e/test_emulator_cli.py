"""`switchboard emulator ringcentral` standalone, with injected faults."""

from __future__ import annotations

import asyncio
import os
import subprocess

import httpx

from tests.helpers.cli import BIN
from tests.helpers.serve import free_port


async def test_standalone_emulator_serves_real_paths_and_faults() -> None:
    port = free_port()
    process = subprocess.Popen(  # noqa: ASYNC220 (started once, read after)
        [
            *(str(BIN), "emulator", "ringcentral", "--port", str(port), "--rate-limits"),
            *("--fail", "GET /presence=503x1"),
        ],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            for _ in range(200):
                try:
                    token = await http.post(
                        "/restapi/oauth/token",
                        auth=("any-id", "any-secret"),
                        data={
                            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                            "assertion": "bob@example.com",
                        },
                    )
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            assert token.status_code == 200
            code_grant = await http.post(  # "any-id" is a JWT app now: one auth flow per app
                "/restapi/oauth/token",
                auth=("any-id", "any-secret"),
                data={"grant_type": "authorization_code", "code": "c", "redirect_uri": "https://x/cb"},
            )
            assert code_grant.status_code == 400
            assert code_grant.json()["errors"][0]["errorCode"] == "OAU-112"
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            path = f"/restapi/v1.0/account/~/extension/{token.json()['owner_id']}/presence"
            assert (await http.get(path, headers=headers)).status_code == 503
            assert (await http.get(path, headers=headers)).status_code == 200
            other = "/restapi/v1.0/account/~/extension/2263488004/forwarding-number"
            assert (await http.get(other, headers=headers)).status_code == 403  # bob is not an admin
            me = f"/restapi/v1.0/account/~/extension/{token.json()['owner_id']}"
            answers = [await http.get(me, headers=headers) for _ in range(47)]  # 50 Light, 3 used
            assert answers[-1].status_code == 200
            assert answers[-1].headers["X-Rate-Limit-Remaining"] == "0"
            throttled = await http.get(me, headers=headers)
            assert throttled.status_code == 429
            assert throttled.headers["Retry-After"] == "60"
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_bad_fault_spec_is_one_line() -> None:
    result = subprocess.run(
        [str(BIN), "emulator", "ringcentral", "--fail", "explode"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "fault spec" in result.stderr
    assert "Traceback" not in result.stderr
