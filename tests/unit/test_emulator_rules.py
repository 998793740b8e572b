"""docs/emulators.md lists every platform rule the emulators enforce, each with its source.

The mechanical part of that promise: every error code the RingCentral emulator can answer
(`CMN-…`, `OAU-…`, `SUB-…`) and every UnifiedAPI error code the VoipNow emulator answers
is named in a row of docs/emulators.md, and every row names where it is enforced and its
source. Injected faults (`bot/devkit/faults.py`)
are test tools, not platform rules.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "emulators.md"
CODE = re.compile(r"\b(?:CMN|OAU|SUB)-\d{3}\b")
VOIPNOW_CODE = re.compile(r'_Error\(\d{3}, "([a-z_]+)"')


def rows() -> list[list[str]]:
    found = []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| platform", "| ---")):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            found.append(cells)
    return found


def test_every_error_code_the_ringcentral_emulator_answers_has_a_row() -> None:
    emulator = ROOT / "bot" / "devkit" / "ringcentral"
    answered = {c for path in emulator.rglob("*.py") for c in CODE.findall(path.read_text("utf-8"))}
    documented = {c for cells in rows() for c in CODE.findall(" ".join(cells))}
    assert answered, "the emulator answers error codes"
    assert sorted(answered - documented) == []


def test_every_row_says_where_it_is_enforced_and_its_source() -> None:
    for cells in rows():
        assert len(cells) == 4, cells
        assert all(cells), cells


def test_every_error_code_the_voipnow_emulator_answers_has_a_row() -> None:
    emulator = ROOT / "bot" / "devkit" / "voipnow"
    answered = {
        c for path in emulator.rglob("*.py") for c in VOIPNOW_CODE.findall(path.read_text("utf-8"))
    }
    voipnow = " ".join(" ".join(cells) for cells in rows() if cells[0] == "VoipNow")
    assert answered, "the emulator answers error codes"
    assert sorted(c for c in answered if f"`{c}`" not in voipnow) == []
