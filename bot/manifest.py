"""manifest.yaml with the request URLs filled in."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import yaml

MANIFEST = Path(__file__).with_name("manifest.yaml")
PLACEHOLDER = "https://switchboard.example.com"


def render_manifest(url: str | None) -> str:
    """The manifest, its request URLs at `url` (ValueError with a sentence when `url` is not
    an https address Slack could call: Slack sends requests only to HTTPS request URLs,
    https://api.slack.com/reference/manifests)."""
    text = MANIFEST.read_text()
    if url:
        text = text.replace(PLACEHOLDER, public_base(url))
    return text


def public_base(url: str) -> str:
    """`https://host[:port][/prefix]`, without a trailing slash."""
    parsed = urlsplit(url.strip())
    try:
        host, _port = parsed.hostname, parsed.port
    except ValueError:  # a port that isn't a number
        host = None
    # As SWITCHBOARD_PUBLIC_URL: plain http only for a loopback address (a local tunnel's end).
    loopback = parsed.scheme == "http" and host in ("localhost", "127.0.0.1", "::1")
    if (parsed.scheme != "https" and not loopback) or not host or parsed.query or parsed.fragment:
        raise ValueError(
            f"--url must be the https address Slack reaches this bot at, "
            f"e.g. https://bot.example.com (not {url.strip()[:80]!r})."
        )
    return url.strip().rstrip("/")


@functools.cache
def escaped_commands() -> frozenset[str]:
    """Slash commands whose text Slack escapes (`should_escape: true`), as the manifest says."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = manifest.get("features", {}).get("slash_commands", [])
    return frozenset(str(c["command"]) for c in commands if c.get("should_escape"))
