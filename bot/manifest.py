"""manifest.yaml with the request URLs filled in."""

from __future__ import annotations

from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.yaml")
PLACEHOLDER = "https://switchboard.example.com"


def render_manifest(url: str | None) -> str:
    text = MANIFEST.read_text()
    if url:
        text = text.replace(PLACEHOLDER, url.rstrip("/"))
    return text
