"""The long tests `make test-fast` leaves out are named by path: a renamed module must not
silently fall into the inner loop, nor the marker lose its registration. What tests share
lives in tests/helpers: a test module imported by another would run its tests' imports
(and, under a rename, break the other module) for a helper."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.conftest import SPAWNING, TESTS


def test_every_module_marked_slow_exists() -> None:
    assert [where for where in sorted(SPAWNING) if not (TESTS.parent / where).is_file()] == []


def test_the_slow_and_served_markers_are_registered() -> None:
    pyproject = tomllib.loads((TESTS.parent / "pyproject.toml").read_text())
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("slow:") for marker in markers)
    assert any(marker.startswith("served:") for marker in markers)


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_test_module_imports_another() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in sorted(_imported(path))
        if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert offenders == []


def test_shared_helpers_live_in_tests_helpers() -> None:
    """Only tests/helpers (and conftest) is imported across test modules."""
    allowed = ("tests.helpers", "tests.conftest")
    offenders = [
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in sorted(_imported(path))
        if module.startswith("tests.") and not module.startswith(allowed)
    ]
    assert offenders == []
