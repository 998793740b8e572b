"""The shell driven by piped input, as `make demo` runs it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.oncall import this_hour


def shell(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    result = run(
        "shell", *args, stdin=text, env={"DATABASE_URL": f"sqlite:///{tmp_path}/shell.db"}, cwd=tmp_path
    )
    return result.returncode, result.stdout + result.stderr


def test_whoami_answers_with_alices_extension(tmp_path: Path) -> None:
    code, out = shell(tmp_path, "/switchboard whoami\n")
    assert code == 0
    assert "EMULATOR" in out
    assert "alice> /switchboard whoami" in out
    assert "RingCentral extension `102`, Alice Martin" in out
    assert "Traceback" not in out


def test_admin_mentions_home_and_switching_users(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/switchboard link @bob 104",
            "/switchboard link @carol@example.com 103",
            "/switchboard audit 2",
            ":home",
            ":as bob@example.com",
            "/switchboard whoami",
            "hello?",
            ":click 3",
            "",
        ]
    )
    code, out = shell(tmp_path, script, "--admin")
    assert code == 0
    assert "Linked @bob to RingCentral extension `104`" in out
    assert "Linked @carol to RingCentral extension `103`" in out
    assert "linked extension `103` for @carol" in out
    assert "(to @bob, in their DMs)" in out  # an admin's change is told, and shown as theirs
    assert "+-- App Home" in out
    assert "bob> /switchboard whoami" in out
    assert "`104`" in out
    assert "Type a slash command" in out
    assert "Nothing numbered 3" in out


def test_unknown_user_is_refused_with_a_sentence(tmp_path: Path) -> None:
    code, out = shell(tmp_path, "", "--as", "nobody@example.com")
    assert code == 2
    assert "not in the provider directory" in out


def test_quit_ends_the_session(tmp_path: Path) -> None:
    code, out = shell(tmp_path, ":quit\n/switchboard whoami\n")
    assert code == 0
    assert "`102`" not in out


def test_forwarding_numbers_in_the_shell(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/forward add (650) 555-0199 Desk",
            "/forward",
            ":click 7",  # Add a number (after three rows' menus)
            "nope",
            "",
            "(650) 555-0188",
            "Garage",
            ":click 3",  # Edit Home
            "",
            "work",
            "/forward remove garage",
            "/forward list",
            "",
        ]
    )
    code, out = shell(tmp_path, script)
    assert code == 0
    assert "Added *Desk* `(650) 555-0199`" in out
    assert "! phone: nope doesn't look like a phone number." in out
    assert "Added *Garage* `(650) 555-0188`" in out
    assert "Changed *Home*" in out
    assert "Removed *Garage*" in out
    listed = out.rsplit("alice> /forward list", 1)[1]
    assert "*Work* `(415) 555-0188`" not in listed
    assert "*Work* · `(415) 555-0188`" in listed
    assert "Garage" not in listed


async def test_the_shells_people_have_their_own_time_zones(sqlite_url: str) -> None:
    from bot.devkit.shell.main import load_directory
    from bot.devkit.shell.standin import SlackStandIn
    from bot.runtime import start_runtime
    from bot.settings import load_settings

    settings = load_settings(
        slack_bot_token="xoxb-shell", database_url=sqlite_url, switchboard_providers="emulator"
    )
    runtime = await start_runtime(settings, migrate=True)
    try:
        standin = SlackStandIn()
        await load_directory(runtime, standin)
        zones = {u.email: u.tz for u in standin.users.values()}
        assert zones["carol@example.com"] == "Europe/Paris"
        assert zones["bob@example.com"] == "America/New_York"
    finally:
        await runtime.aclose()


def test_a_second_run_on_the_same_database_behaves_the_same(tmp_path: Path) -> None:
    outputs = [shell(tmp_path, "/transfer\n1\nvoicemail\n\n")[1] for _ in range(2)]
    for out in outputs:  # fresh view ids and hashes each run: never taken for a replay
        assert "Transferred your call with Jordan Lee" in out
        assert "Already transferred" not in out


def test_modals_opened_from_buttons_can_be_submitted(tmp_path: Path) -> None:
    script = "\n".join(
        [
            ":home",
            ":click 2",  # Forward all calls…
            "Mobile",
            "",  # …or this number: none typed
            "2 hours",
            "",  # …or until: none typed
            "/oncall create",
            "support",
            "200",
            "@alice @bob",
            "weekly",
            "1",
            this_hour(),  # alice's first week starts now, whatever time the suite runs
            "America/Los_Angeles",
            "",
            "/oncall",
        ]
    )
    code, out = shell(tmp_path, script, "--admin")
    assert code == 0
    assert "HTTP 400" not in out
    assert "All calls now go to `(415) 555-0123`" in out
    assert "Rotation *support* saved" in out
    assert "*support*: @" in out  # who: depends on the day
    assert " is on call until " in out


def test_mentions_are_escaped_as_the_manifest_asks(tmp_path: Path) -> None:
    code, out = shell(tmp_path, "/transfer @bob\n")
    assert code == 0
    assert "Transferred your call with Jordan Lee" in out
    assert "(ext `103`)" in out


def test_following_the_sign_in_link_connects_the_shells_user(tmp_path: Path) -> None:
    code, out = shell(tmp_path, "/switchboard connect\n:click 1\n/switchboard whoami\n")
    assert code == 0
    assert "[1] Sign in to RingCentral" in out
    assert "(browser, signed in as alice@example.com) You're connected as extension 102." in out
    assert "Your own RingCentral sign-in is connected." in out
    assert "Traceback" not in out


def test_a_call_rings_in_the_shell_and_its_card_works(tmp_path: Path) -> None:
    script = "/switchboard calls on\n:ring @alice from +1 650 555 0142 (Pat Caller)\n:click 1\n"
    code, out = shell(tmp_path, script)
    assert code == 0
    assert "Call from *Pat Caller* `(650) 555-0142`" in out
    assert "[1] Voicemail" in out
    assert "[2] Forward to my Mobile" in out
    assert "Sent to voicemail." in out
    assert ":envelope_with_arrow: Sent to voicemail" in out  # the same card, updated
    assert "Traceback" not in out


@pytest.mark.parametrize(("share", "refused"), [(None, False), (0.2, True)])
async def test_the_demo_is_not_rationed_unless_a_share_is_set(
    share: float | None, refused: bool
) -> None:
    """README "The shell": against the emulator without rate limits the shell lifts the
    per-person share (a demo is one person trying everything in a row); SWITCHBOARD_PERSON_SHARE
    set keeps it, as in production."""
    from bot.devkit.shell.main import shell as run_shell
    from bot.settings import load_settings

    asked = {} if share is None else {"switchboard_person_share": share}
    settings = load_settings(switchboard_providers="emulator", **asked)
    typed, shown = io.StringIO("/forward list\n" * 14), io.StringIO()
    assert await run_shell(settings, as_email=None, admin=False, stdin=typed, stdout=shown) == 0
    out = shown.getvalue()
    assert out.count("Your forwarding numbers") + out.count("used your share") == 14
    assert ("You've used your share of RingCentral requests" in out) is refused
