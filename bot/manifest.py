"""manifest.yaml with the request URLs filled in."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

MANIFEST = Path(__file__).with_name("manifest.yaml")
PLACEHOLDER = "https://switchboard.example.com"


def render_manifest(url: str | None) -> str:
    text = MANIFEST.read_text()
    if url:
        text = text.replace(PLACEHOLDER, url.rstrip("/"))
    return text


@functools.cache
def escaped_commands() -> frozenset[str]:
    """Slash commands whose text Slack escapes (`should_escape: true`), as the manifest says."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = manifest.get("features", {}).get("slash_commands", [])
    return frozenset(str(c["command"]) for c in commands if c.get("should_escape"))
