"""manifest.yaml is a valid Slack manifest with the four commands, and --url fills it in."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from bot.manifest import MANIFEST, render_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_validates_against_slacks_schema(reference: Path) -> None:
    schema = json.loads((reference / "slack-manifest.schema.1.0.0.json").read_text())
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    jsonschema.validate(manifest, schema)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/forward", "/transfer", "/oncall", "/switchboard"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "users:read.email"} <= scopes
    assert {"usergroups:read", "usergroups:write"} <= scopes  # the rotations' on-call groups
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert events == ["app_home_opened", "user_change"]  # user_change: email links re-checked


def test_repository_manifest_is_the_packaged_one() -> None:
    assert (ROOT / "manifest.yaml").read_text() == MANIFEST.read_text()


def test_url_fills_every_request_url(reference: Path) -> None:
    rendered = yaml.safe_load(render_manifest("https://bot.example.org/"))
    urls = [c["url"] for c in rendered["features"]["slash_commands"]]
    urls += [rendered["settings"]["interactivity"]["request_url"]]
    urls += [rendered["settings"]["event_subscriptions"]["request_url"]]
    assert set(urls) == {"https://bot.example.org/slack/events"}
    schema = json.loads((reference / "slack-manifest.schema.1.0.0.json").read_text())
    jsonschema.validate(rendered, schema)


def test_the_readme_explains_every_scope_the_manifest_asks_for() -> None:
    """A workspace admin reads README "Connect a real Slack app" before approving the scopes."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Connect a real Slack app") :].split("\n## ")[0]
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    unexplained = [s for s in manifest["oauth_config"]["scopes"]["bot"] if f"`{s}`" not in section]
    assert unexplained == []
