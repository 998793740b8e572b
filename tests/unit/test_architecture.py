"""The arrows point one way: fronts → Slack features → services → (providers | store) → domain.

Read from the source (deferred imports count, `TYPE_CHECKING` imports don't) and followed
transitively: no import cycle, no feature reaching another or the store (nor writing Block Kit
by hand: bot/slack/blocks.py builds it), no core module reaching Slack, no
dev tool on the production path, and no module outside a provider's own package naming a
provider (services, the engine and the features ask `bot/domain/capabilities.py` instead).
Each rule is a function of the source tree, so the tests below also plant a violation in a
copy of the tree and watch the rule catch it.
"""

from __future__ import annotations

import ast
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from bot.domain.lines import ProviderName

ROOT = Path(__file__).resolve().parents[2]
# Core: must not know Slack (no slack_sdk/slack_bolt, no Block Kit, no Slack-side modules).
CORE = (
    "bot.services",
    "bot.oncall",
    "bot.store",
    "bot.providers",
    "bot.scheduler",
    "bot.profile_checks",
    "bot.destinations",
)
SLACK_SIDE = ("slack_sdk", "slack_bolt", "bot.slack", "bot.web", "handlers")
# Core modules that still reach the Slack side through another module (issue 27); none
# now: the scheduler and the profile checks get the services they use, not the Runtime.
SLACK_REACHING_DEBT: set[str] = set()
# Slack's own tokens: the core says who and when (bot.domain.notices), the Slack side writes
# `<@U…>` and `<!date^…>` (bot.slack.notices.render).
SLACK_MARKUP = {"mention", "date_token"}
# Core modules still writing them (issue 27): replies, change words and call cards.
MARKUP_DEBT = {
    "bot.services.transfer",
    "bot.services.change_words",
    "bot.services.call_cards",
}
# Where a provider may be named: its own package (bot/providers/<name>/), the registry that
# gathers their declarations, the enum itself, the settings' credentials table, dev tools.
MAY_NAME_PROVIDERS = ("bot.providers.registry", "bot.domain.lines", "bot.settings", "bot.devkit")


def features(root: Path = ROOT) -> tuple[str, ...]:
    """Every feature folder under handlers/ (handlers/shared is what they share)."""
    return tuple(
        sorted(
            p.name
            for p in (root / "handlers").iterdir()
            if (p / "__init__.py").is_file() and p.name != "shared"
        )
    )


def modules(root: Path = ROOT) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in [*root.glob("bot/**/*.py"), *root.glob("handlers/**/*.py")]:
        name = ".".join(path.relative_to(root).with_suffix("").parts)
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


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports_of(path, known) for name, path in known.items()}


def reach(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through the modules it imports."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def feature_crossings(root: Path = ROOT) -> dict[str, set[str]]:
    """Feature modules that reach another feature, directly or through anything they import."""
    edges = graph(root)
    names = features(root)
    crossings: dict[str, set[str]] = defaultdict(set)
    for name in edges:
        parts = name.split(".")
        if parts[0] != "handlers" or len(parts) < 2 or parts[1] not in names:
            continue
        for target in reach(edges, name):
            other = target.split(".")
            crossing = len(other) > 1 and other[1] in names and other[1] != parts[1]
            if other[0] == "handlers" and crossing:
                crossings[name].add(target)
    return dict(crossings)


def core_speaking_slack(root: Path = ROOT) -> dict[str, list[str]]:
    edges = graph(root)
    speaking = {
        name: sorted(t for t in reach(edges, name) if t.startswith(SLACK_SIDE))
        for name in edges
        if name.startswith(CORE)
    }
    return {k: v for k, v in speaking.items() if v}


def core_writing_markup(root: Path = ROOT) -> dict[str, list[str]]:
    """Core modules that write Slack's own tokens (mentions, date tokens) through bot.mrkdwn."""
    writing: dict[str, list[str]] = {}
    for name, path in modules(root).items():
        if not name.startswith(CORE):
            continue
        found = []
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.mrkdwn":
                found += [alias.name for alias in node.names if alias.name in SLACK_MARKUP]
            elif isinstance(node, ast.ImportFrom) and node.module == "bot":
                found += [f"bot.{a.name}" for a in node.names if a.name == "mrkdwn"]
            elif isinstance(node, ast.Import):
                found += [a.name for a in node.names if a.name == "bot.mrkdwn"]
        if found:
            writing[name] = sorted(found)
    return writing


def features_reaching_the_store(root: Path = ROOT) -> dict[str, list[str]]:
    """Slack features importing the store directly: the records they show live in
    bot.domain.records; reads and writes go through the services."""
    reaching = {
        name: sorted(t for t in targets if t == "bot.store" or t.startswith("bot.store."))
        for name, targets in graph(root).items()
        if name.startswith("handlers")
    }
    return {k: v for k, v in reaching.items() if v}


def block_kit_literals_in(tree: ast.AST) -> list[int]:
    """Lines with a dict literal holding a "type" key: Block Kit written by hand."""
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value == "type" for k in node.keys)
    )


def features_writing_block_kit(root: Path = ROOT) -> dict[str, list[int]]:
    """Feature modules writing Block Kit as dict literals (bot/slack/blocks.py builds it)."""
    writing = {
        name: block_kit_literals_in(ast.parse(path.read_text()))
        for name, path in modules(root).items()
        if name.startswith("handlers")
    }
    return {k: v for k, v in writing.items() if v}


def provider_names_in(tree: ast.AST) -> list[int]:
    """Lines that name a provider: `ProviderName.VOIPNOW`, or a string that is a provider's
    name or starts a `name:` line reference ("ringcentral", "smspartner:")."""
    names = {p.value for p in ProviderName}
    members = {p.name for p in ProviderName}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "ProviderName"
            and node.attr in members
        ) or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and (node.value in names or (node.value.partition(":")[0] in names and ":" in node.value))
        ):
            found.append(node.lineno)
    return sorted(found)


def provider_packages(root: Path = ROOT) -> tuple[str, ...]:
    return tuple(
        f"bot.providers.{p.name}"
        for p in (root / "bot" / "providers").iterdir()
        if (p / "__init__.py").is_file()
    )


def naming_providers(root: Path = ROOT) -> dict[str, list[int]]:
    """Modules outside the provider packages (and the few places allowed) naming a provider."""
    allowed = (*provider_packages(root), *MAY_NAME_PROVIDERS)
    naming = {}
    for name, path in modules(root).items():
        if any(name == a or name.startswith(f"{a}.") for a in allowed):
            continue
        lines = provider_names_in(ast.parse(path.read_text()))
        if lines:
            naming[name] = lines
    return naming


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


def test_the_core_writes_no_slack_tokens() -> None:
    writing = core_writing_markup()
    assert set(writing) - MARKUP_DEBT == set(), writing
    assert MARKUP_DEBT - set(writing) == set(), "strike these off MARKUP_DEBT"


def test_features_never_import_one_another() -> None:
    assert feature_crossings() == {}


def test_features_never_import_the_store() -> None:
    assert features_reaching_the_store() == {}


def test_features_build_block_kit_through_one_layer() -> None:
    assert features_writing_block_kit() == {}


def test_the_block_kit_check_sees_a_literal_at_any_depth() -> None:
    planted = """
view = {"type": "home", "blocks": blocks}
label = dict(text={"type": "plain_text", "text": "Call"})
ok = {"text": plain_text("Call"), "value": "x"}
kind = view.get("type") == "modal"
"""
    assert block_kit_literals_in(ast.parse(planted)) == [2, 3]


def test_features_are_found_from_the_folders() -> None:
    assert {"admin", "calls", "forward", "home", "oncall", "transfer"} <= set(features())


def test_the_core_does_not_speak_slack() -> None:
    speaking = core_speaking_slack()
    assert set(speaking) - SLACK_REACHING_DEBT == set(), speaking
    assert SLACK_REACHING_DEBT - set(speaking) == set(), "strike these off SLACK_REACHING_DEBT"
    # directly, none at all
    direct = {
        name: {t for t in targets if t.startswith(SLACK_SIDE)}
        for name, targets in graph().items()
        if name.startswith(CORE)
    }
    assert {k: v for k, v in direct.items() if v} == {}


def test_no_provider_is_named_outside_its_package() -> None:
    """Services, the engine and features ask the capability declarations, never a name."""
    assert naming_providers() == {}


def test_the_provider_check_sees_each_way_of_naming_one() -> None:
    planted = """
if line.provider is ProviderName.VOIPNOW: pass
usable = [x for x in lines if x.on(ProviderName.SMSPARTNER)]
if link.provider == "ringcentral": pass
if text.startswith("smspartner:"): pass
ref = f"voipnow:{line_id}"
"""
    assert provider_names_in(ast.parse(planted)) == [2, 3, 4, 5, 6]
    innocent = """
sentence = "RingCentral can't do that"
name = line.provider.display
ok = capabilities.can(line, Capability.CALL_CONTROL)
"""
    assert provider_names_in(ast.parse(innocent)) == []


def _copy(tmp_path: Path) -> Path:
    for folder in ("bot", "handlers"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_planted_violations_are_caught_in_a_copy_of_the_tree(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "bot" / "services" / "planted.py").write_text(
        "from bot.domain.lines import ProviderName\n"
        "from bot import planted_helper\n\n"
        "def pick(lines):\n"
        "    return [x for x in lines if x.on(ProviderName.VOIPNOW)]\n"
    )
    # speaks Slack one step away: only a transitive check sees it from bot.services.planted
    (root / "bot" / "planted_helper.py").write_text("import slack_sdk\n")
    (root / "bot" / "oncall" / "planted.py").write_text("from bot.mrkdwn import code, date_token\n")
    (root / "bot" / "services" / "planted_too.py").write_text("from bot import mrkdwn\n")
    (root / "handlers" / "shared" / "planted.py").write_text("from handlers.admin import views\n")
    (root / "handlers" / "forward" / "planted.py").write_text("from handlers.shared import planted\n")
    (root / "handlers" / "oncall" / "planted.py").write_text(
        "from bot.store.rotations import RotationRecord\nimport bot.store.links\n"
    )
    (root / "handlers" / "transfer" / "planted.py").write_text(
        "def picker(options):\n    return {'type': 'radio_buttons', 'options': options}\n"
    )
    (root / "handlers" / "newfeature").mkdir()
    (root / "handlers" / "newfeature" / "__init__.py").write_text("import handlers.transfer\n")

    assert naming_providers(root)["bot.services.planted"] == [5]
    assert core_speaking_slack(root)["bot.services.planted"] == ["slack_sdk"]
    assert core_writing_markup(root)["bot.oncall.planted"] == ["date_token"]
    assert core_writing_markup(root)["bot.services.planted_too"] == ["bot.mrkdwn"]
    assert "handlers.admin.views" in feature_crossings(root)["handlers.forward.planted"]
    assert "handlers.transfer" in feature_crossings(root)["handlers.newfeature"]
    assert features_writing_block_kit(root) == {"handlers.transfer.planted": [2]}
    assert features_reaching_the_store(root)["handlers.oncall.planted"] == [
        "bot.store.links",
        "bot.store.rotations",
    ]


def test_production_modules_import_dev_tools_only_on_demand() -> None:
    """Outside bot.devkit, only the CLI and the emulator wiring may name it (deferred)."""
    allowed = {"bot.cli", "bot.providers.registry"}
    assert not any(
        name.startswith("bot.") and name.count(".") == 1 and name.startswith("bot.slack_")
        for name in graph()
    )
    edges = graph()
    naming = {
        name
        for name, targets in edges.items()
        if not name.startswith("bot.devkit") and any(t.startswith("bot.devkit") for t in targets)
    }
    assert naming <= allowed, naming - allowed
    # past those two (deferred) doors, nothing reaches a dev tool, however many steps away
    production = {
        name: {t for t in targets if not t.startswith("bot.devkit")} if name in allowed else targets
        for name, targets in edges.items()
    }
    reaching = {
        name
        for name in production
        if not name.startswith("bot.devkit")
        and any(t.startswith("bot.devkit") for t in reach(production, name))
    }
    assert reaching == set()


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
