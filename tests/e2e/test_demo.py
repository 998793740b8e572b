"""What a new user meets in `make demo` (docs/contract.md "A stranger can clone…"), driven through the shell in-process."""

from __future__ import annotations

import io
from pathlib import Path

from bot.devkit.shell.main import shell
from bot.settings import load_settings
from tests.helpers.cli import run
from tests.helpers.emulated import link_dave
from tests.helpers.harness import Harness, user_id


async def demo(script: str, *args: str, database_url: str | None = None) -> str:
    """One shell run, as `switchboard shell [args]` with `script` piped in; what it printed."""
    overrides = {"database_url": database_url} if database_url else {}
    settings = load_settings(switchboard_providers="emulator", **overrides)
    out = io.StringIO()
    as_email = args[args.index("--as") + 1] if "--as" in args else "alice@example.com"
    code = await shell(
        settings, as_email=as_email, admin="--admin" in args, stdin=io.StringIO(script), stdout=out
    )
    assert code == 0, out.getvalue()
    text = out.getvalue()
    assert "Traceback" not in text
    return text


async def test_switchboard_help_shows_the_help_without_a_suggestion() -> None:
    out = await demo("/switchboard help\n/switchboard\n/switchboard hlep\n")
    assert "Did you mean `help`?" in out  # only for the misspelt word
    assert out.count("Did you mean") == 1
    assert out.count("*Switchboard*: your phone, from Slack.") == 3


async def test_a_ring_from_a_number_that_is_not_one_is_refused() -> None:
    out = await demo("/switchboard calls on\n:ring @alice from garbage\n:ring @alice from 12\n")
    assert "from +)" not in out
    assert "ringing" not in out
    assert "`garbage` has letters in it" in out
    assert "`12` isn't a valid phone number." in out
    assert "Call from" not in out


async def test_a_ring_shows_the_callers_number_as_everywhere_else() -> None:
    out = await demo("/switchboard calls on\n:ring @alice from +1 650 555 0142 (Pat Caller)\n")
    assert "(ringing @alice's extension 102 from (650) 555-0142)" in out


def test_call_cards_keep_working_across_runs_on_one_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/kept.db"}
    script = "/switchboard calls on\n:ring @alice from +1 650 555 0142 (Pat Caller)\n:click 1\n"
    for _ in range(2):  # two processes: the emulator starts anew, the database keeps the first card
        out = run("shell", stdin=script, env=env, cwd=tmp_path).stdout
        assert "Call from *Pat Caller* `(650) 555-0142`" in out
        assert "[1] Voicemail" in out
        assert "Sent to voicemail." in out


async def test_each_run_starts_a_fresh_world_unless_a_database_is_asked_for(tmp_path: Path) -> None:
    first = await demo("/forward to mobile\n")
    assert "on a fresh database" in first
    assert "All calls now go to `(415) 555-0123`" in first
    second = await demo("/forward status\n")  # the emulator is new: so is the database
    assert "Your calls ring as usual." in second
    kept = await demo("/forward status\n", database_url=f"sqlite:///{tmp_path}/kept.db")
    assert "DATABASE_URL is kept" in kept


async def test_voipnow_people_are_not_told_to_connect_ringcentral(bot: Harness) -> None:
    from bot.devkit.shell import payloads

    await link_dave(bot)
    whoami = await bot.command("dave", "/switchboard", "whoami")
    assert "VoipNow extension `0003*210`" in whoami.text
    assert "RingCentral sign-in" not in whoami.text
    connect = await bot.command("dave", "/switchboard", "connect")
    assert "VoipNow can't use your own sign-in" in connect.text
    assert "Sign in to RingCentral" not in connect.text
    opened = await bot.signed(payloads.app_home_opened(user_id("dave")), content_type="application/json")
    home = next(c for c in opened.calls if c.method == "views.publish").args["view"]
    assert "Connect your RingCentral" not in str(home)
    alice = await bot.command("alice", "/switchboard", "whoami")  # on RingCentral: offered
    assert "`/switchboard connect`" in alice.text


async def test_whoami_says_one_thing_about_the_own_sign_in() -> None:
    out = await demo("/switchboard connect\n:click 1\n/switchboard disconnect\n/switchboard whoami\n")
    after = out.rsplit("alice> /switchboard whoami", 1)[1]
    assert "You haven't connected your own RingCentral sign-in" in after
    assert "(linked when you signed in to RingCentral)" in after
    assert "your own RingCentral sign-in)" not in after


ROTATION = "support\n200\n@alice @bob\nweekly\n1\n09:00\nAmerica/Los_Angeles\n"


async def test_oncall_create_takes_a_channel_name_keeps_what_was_typed_and_can_be_cancelled() -> None:
    script = (
        "/oncall create\n" + ROTATION.replace("weekly", "fortnightly") + "#support\n"
        "\n\n\nweekly\n\n\n\n\n"  # Slack kept the modal open: Enter keeps each answer
        "/oncall create\n:cancel\n/oncall\n"
    )
    out = await demo(script, "--admin")
    assert "it's private" not in out
    assert "  Members, in rotation order [@alice @bob]> " in out  # kept after the error
    assert "  Channel for handoff notices [#support]> " in out
    assert "Rotation *support* saved" in out
    assert "(answer the prompts to submit, :cancel to close)" in out
    assert "(modal closed)" in out
    assert "*support*: @" in out.rsplit("alice> /oncall\n", 1)[1]


async def test_channel_notices_show_channel_names_and_times_as_text() -> None:
    out = await demo(
        "/oncall create\n" + ROTATION + "#support\n:as bob@example.com\n/oncall take for 2h\n", "--admin"
    )
    taken = out.rsplit("bob> /oncall take for 2h", 1)[1]
    assert "(in #support)" in taken
    assert "@bob is now on call for *support* until " in taken
    assert "<!date" not in out
    assert "<#" not in out


async def test_numbers_and_audit_rows_read_the_same_everywhere() -> None:
    script = (
        "/switchboard calls on\n:ring @alice from +1 650 555 0142 (Pat Caller)\n:click 2\n"
        ":ring @alice from +1 650 555 0143 (Sam Caller)\n:click 1\n"
        "/transfer @bob\n/oncall number +1 415 555 0199\n/switchboard audit\n"
    )
    out = await demo(script, "--admin")
    assert "Sent to `(415) 555-0123`." in out
    audit = out.rsplit("alice> /switchboard audit", 1)[1]
    assert "sent a ringing call to `(415) 555-0123`" in audit
    assert "sent a ringing call to voicemail" in audit
    assert "moved a call with `(408) 555-0111` to @bob" in audit
    assert "set the on-call number to `(415) 555-0199`" in audit
    assert "call.voicemail" not in audit
    assert "`+1" not in out  # no number written as stored
    assert "<@" not in out


async def test_a_demo_of_many_commands_in_a_row_is_not_rationed() -> None:
    out = await demo("/forward list\n" * 20)
    assert out.count("*Mobile* · `(415) 555-0123`") == 20
    assert "your share" not in out
