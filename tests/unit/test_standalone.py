"""The repository stands alone: nothing it holds reaches outside the checkout.

A stranger's fresh clone has nothing beside it (docs/contract.md "A stranger can clone,
install and operate it"): the files the tests read are in `tests/reference/`, and every
`docs/...` a comment cites is in `docs/`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.checkout import ROOT, checkout_files

OUTSIDE = re.compile(r'\.\./shared|/work/|parents\[[3-9]\]|\b(CONTRACT|DESIGN|PROVIDERS)(\.md)? "')
CITED_DOC = re.compile(r"\bdocs/[\w.-]+\.md\b")
HERE = Path(__file__).resolve()


def _files() -> list[Path]:
    # this file spells the patterns it looks for
    return [ROOT / name for name in checkout_files() if ROOT / name != HERE]


def _text(path: Path) -> str | None:
    if path.suffix in {".yml", ".json"} and path.parent.name == "reference":
        return None  # third-party descriptions, read only by the tests
    try:
        return path.read_text()
    except (UnicodeDecodeError, OSError):
        return None


def test_no_file_reaches_outside_the_checkout() -> None:
    offenders = []
    for path in _files():
        text = _text(path)
        if text is None:
            continue
        offenders += [
            f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert offenders == []


def test_every_cited_doc_is_in_the_repository() -> None:
    missing = set()
    for path in _files():
        text = _text(path)
        if text is None or path.suffix not in {".py", ".md", ""}:
            continue
        missing |= {doc for doc in CITED_DOC.findall(text) if not (ROOT / doc).is_file()}
    assert missing == set()


def test_reference_files_carry_their_licence_and_source() -> None:
    reference = ROOT / "tests" / "reference"
    provenance = (reference / "PROVENANCE.md").read_text()
    for name in ("ringcentral-openapi.yml", "slack-manifest.schema.1.0.0.json"):
        assert (reference / name).is_file()
        assert name in provenance
    for licence in ("LICENSE.ringcentral-openapi", "LICENSE.slack-manifest-schema"):
        assert "MIT License" in (reference / licence).read_text()
        assert licence in provenance
