"""The long tests `make test-fast` leaves out are named by path: a renamed module must not
silently fall into the inner loop, nor the marker lose its registration."""

from __future__ import annotations

import tomllib

from tests.conftest import SPAWNING, TESTS


def test_every_module_marked_slow_exists() -> None:
    assert [where for where in sorted(SPAWNING) if not (TESTS.parent / where).is_file()] == []


def test_the_slow_marker_is_registered() -> None:
    pyproject = tomllib.loads((TESTS.parent / "pyproject.toml").read_text())
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("slow:") for marker in markers)
