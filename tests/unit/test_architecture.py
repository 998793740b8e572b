"""The arrows point one way: fronts → Slack features → services → (providers | store) → domain.

Read from the source (deferred imports count, `TYPE_CHECKING` imports don't): no import
cycle, no feature importing another, no core loop speaking Slack, no dev tool on the
production path.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ("admin", "forward", "home", "oncall", "transfer")
# Core: must not know Slack (no slack_sdk/slack_bolt, no Block Kit, no Slack-side modules).
CORE = ("bot.services", "bot.oncall", "bot.store", "bot.providers", "bot.scheduler", "bot.destinations")
SLACK_SIDE = ("slack_sdk", "slack_bolt", "bot.slack", "bot.web", "handlers")


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(child) for child in ast.walk(node))
    return hidden


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module `path` imports, at any depth of its code (deferred ones too)."""
    tree = ast.parse(path.read_text())
    hidden = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & set(known)
            found.update(submodules if len(submodules) == len(node.names) else {node.module})
            found.update(submodules)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) for name, path in known.items()}


def test_no_import_cycles() -> None:
    known = set(modules())
    edges = {name: targets & known for name, targets in graph().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


def test_features_never_import_one_another() -> None:
    crossings = defaultdict(set)
    for name, targets in graph().items():
        parts = name.split(".")
        if parts[0] != "handlers" or len(parts) < 2 or parts[1] not in FEATURES:
            continue
        for target in targets:
            other = target.split(".")
            if (
                other[0] == "handlers"
                and len(other) > 1
                and other[1] in FEATURES
                and other[1] != parts[1]
            ):
                crossings[name].add(target)
    assert dict(crossings) == {}


def test_the_core_does_not_speak_slack() -> None:
    speaking = {
        name: sorted(t for t in targets if t.startswith(SLACK_SIDE))
        for name, targets in graph().items()
        if name.startswith(CORE)
    }
    assert {k: v for k, v in speaking.items() if v} == {}


def test_production_modules_import_dev_tools_only_on_demand() -> None:
    """Outside bot.devkit, only the CLI and the emulator wiring may name it (deferred)."""
    allowed = {"bot.cli", "bot.providers.registry"}
    assert not any(
        name.startswith("bot.") and name.count(".") == 1 and name.startswith("bot.slack_")
        for name in graph()
    )
    naming = {
        name
        for name, targets in graph().items()
        if not name.startswith("bot.devkit") and any(t.startswith("bot.devkit") for t in targets)
    }
    assert naming <= allowed, naming - allowed


def test_the_domain_is_standard_library_only() -> None:
    outside = {
        name: sorted(
            t
            for t in targets
            if t.split(".")[0] not in sys.stdlib_module_names
            and not t.startswith(("bot.domain", "__future__"))
        )
        for name, targets in graph().items()
        if name.startswith("bot.domain")
    }
    assert {k: v for k, v in outside.items() if v} == {}
    assert "bot.domain.schedule" in outside  # rotation and shift math live here
