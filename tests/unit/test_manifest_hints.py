"""The manifest's usage hints name every subcommand, and `--url` must be an https address."""

from __future__ import annotations

import pytest
import yaml

from bot.manifest import MANIFEST, render_manifest
from handlers.oncall import VERBS as ONCALL_VERBS
from tests.helpers.cli import run

SUBCOMMANDS = {
    "/switchboard": ("help", "whoami", "connect", "disconnect", "calls", "link", "unlink", "audit"),
    "/oncall": tuple(verb for verb in ONCALL_VERBS if verb != "help"),  # as the command reads them
    "/forward": ("list", "add", "edit", "remove", "to", "off", "voicemail", "status"),
}


def test_usage_hints_name_every_subcommand() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    hints = {c["command"]: c["usage_hint"] for c in manifest["features"]["slash_commands"]}
    for command, verbs in SUBCOMMANDS.items():
        missing = [verb for verb in verbs if verb not in hints[command]]
        assert not missing, f"{command}'s usage hint misses {missing}"


@pytest.mark.parametrize("url", ["your-host", "http://bot.example.com", "https://", "ftp://x.org"])
def test_a_url_that_is_not_an_https_address_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="--url must be the https address"):
        render_manifest(url)


@pytest.mark.slow  # starts the CLI, a process (as tests/conftest.py SPAWNING's modules do)
def test_the_command_line_refuses_it_in_one_line() -> None:
    result = run("manifest", "--url", "your-host")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "switchboard: --url must be the https address Slack reaches this bot at, "
        "e.g. https://bot.example.com (not 'your-host')."
    ]
