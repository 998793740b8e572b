"""The files a clone of this working tree holds: tracked and new ones, never ignored ones."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Without git (an unpacked archive): what no clone would hold either.
GENERATED = {
    ".git",
    ".venv",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
}
GENERATED |= {".hypothesis"}


def checkout_files() -> list[Path]:
    """Paths relative to the root of the checkout."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        names = [Path(name) for name in listed.stdout.decode().split("\0") if name]
        return [name for name in names if (ROOT / name).is_file()]
    found = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if (
            path.is_file()
            and not set(parts) & GENERATED
            and not any(p.endswith(".egg-info") for p in parts)
        ):
            found.append(path.relative_to(ROOT))
    return found
