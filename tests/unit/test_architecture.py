"""The arrows point one way: fronts → Slack features → services → providers → store → domain.

Every module sits in one layer (LAYERS, LAYER_OF: shared utilities in a `base` layer under the
domain) and imports only its own layer or those below. Read from the source (deferred imports
count, relative ones as the modules they name, none by a computed name; the body of an `if
TYPE_CHECKING:` counts for cycles, between modules and between packages, not for the layers)
and followed transitively: no import cycle, no feature reaching another or the
store (nor writing Block Kit by hand: bot/slack/blocks.py builds it), no core module reaching Slack, no
dev tool on the production path, no module outside a provider's own package naming a
provider, in code or in the words of a string (services, the engine and the features ask
`bot/domain/capabilities.py`, and say a provider's name with `ProviderName.display`), and
none importing one (only the registry and dev tools do).
Each rule is a function of the source tree, so the tests below also plant a violation in a
copy of the tree and watch the rule catch it.
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
import string
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.providers.registry import PLUGINS

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
# Core modules that still reach the Slack side through another module; none
# now: the scheduler and the profile checks get the services they use, not the Runtime.
SLACK_REACHING_DEBT: set[str] = set()
# Slack's own tokens: the core says who and when (bot.domain.notices), the Slack side writes
# `<@U…>` and `<!date^…>` (bot.slack.rendering.render), whether through bot.mrkdwn's helpers
# or typed out in a string.
SLACK_MARKUP = {"mention", "date_token"}
SLACK_TOKENS = ("<@", "<!", "<#")
# Core modules still writing them; none now: transfer replies, change words, call
# cards and the errors about a person are typed messages.
MARKUP_DEBT: set[str] = set()
# A migration is history, written once and run as shipped (its notice to the admins included).
MIGRATIONS = "bot.store.migrations"
# mrkdwn itself, beyond those tokens: the core says "an identifier", "a name, strong", "a
# warning" (Verbatim, Name, Icon in bot.domain.notices) and bot.slack.rendering writes the code
# spans, bold and emoji. From bot.mrkdwn a core module may import only what reads Slack's
# input (a mention or a user group someone typed); what writes mrkdwn stays on the Slack side.
MRKDWN_READERS = {"parse_mention", "parse_group", "MENTION", "GROUP"}
EMOJI_CODE = re.compile(r"(?:^|\s):[a-z0-9_+-]+:(?=\s|$)")  # `:warning: `, not `voipnow:12`
EMPHASIS = ("`", "*")  # a value wrapped in them: f"`{name}`", f"*{name}*"
# A code span or bold written by hand in our own words: any backtick (half a span is one too:
# "add `replace`: `/switchboard link " + …), or a `*word*` pair; an extension's `0003*210`, a
# glob's `*_*.py` or `a * b` is no pair. What a command or an example shows is a `Verbatim`.
CODE_MARK = "`"
BOLD_PAIR = re.compile(r"(?<![\w*])\*[^\W_](?:[^*\n]*[^\W_])?\*(?![\w*])")
# Beyond the core and the domain, the modules whose words reach people through it: the
# sentence any error becomes (bot.errors) and the refusal of a typed number (bot.phone).
SAYS_THROUGH_THE_CORE = ("bot.domain", "bot.errors", "bot.phone")
# Core modules still writing mrkdwn, each with why it still may.
MRKDWN_DEBT: dict[str, str] = {}
# Where a provider may be named: its own package (bot/providers/<name>/, which declares its
# name), the registry that lists the plug-ins, dev tools (its emulator).
MAY_NAME_PROVIDERS = ("bot.providers.registry", "bot.devkit")
# Where a provider's package may be imported: the registry lists its plug-in, dev tools drive
# its emulator. Everything else gets capabilities (and the settings read each plug-in's section).
MAY_IMPORT_PROVIDERS = ("bot.providers.registry", "bot.devkit")
# Who may import the registry: the runtime, which wires everything and hands each service what
# it uses (`Providers.specs`, `Providers.capabilities`, …), the settings (each plug-in reads its
# section), the registry itself and dev tools. Anything else importing it would import every
# provider's package with it.
REGISTRY = "bot.providers.registry"
MAY_IMPORT_THE_REGISTRY = ("bot.runtime", "bot.settings", REGISTRY, "bot.devkit")
# Modules whose strings still write a provider's name as people see it ("RingCentral") or a
# path of its own ("/ringcentral/..."), each with why; everywhere else such a word comes from
# `ProviderName.display`, a provider's declaration or its `LineSpec.usage`.
MAY_SAY_PROVIDERS: dict[str, str] = {
    # `serve`'s help lists the paths the contract fixes (docs/contract.md: POST
    # /ringcentral/webhook), and `emulator --rate-limits` is the RingCentral emulator's option
    # (a dev tool's flag, described as the emulator enforces it).
    "bot.cli": "the contract's paths in `serve --help`; the RingCentral emulator's flag",
}
# The one module outside handlers/ that registers the features on the Bolt app; the fronts
# take the assembled app from it, and the Slack layer under the features never sees them.
COMPOSITION_ROOT = "bot.compose"
# The one clock (`now`, `epoch`, `monotonic`); dev tools keep their own, and a migration is
# history, written once and run as shipped.
CLOCK = "bot.domain.clock"
MAY_READ_THE_TIME = (CLOCK, "bot.devkit", MIGRATIONS)
TIME_READINGS = {
    "datetime": {"now", "utcnow", "today"},
    "date": {"today"},
    "time": {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns"},
}


def features(root: Path = ROOT) -> tuple[str, ...]:
    """Every feature folder under handlers/ (handlers/shared is what they share): any folder
    holding Python, with an `__init__.py` or without (a namespace package imports as well)."""
    return tuple(
        sorted(
            p.name
            for p in (root / "handlers").iterdir()
            if p.is_dir() and p.name not in {"shared", "__pycache__"} and any(p.rglob("*.py"))
        )
    )


@functools.cache
def _parsed(path: str, stamp: int) -> ast.Module:
    return ast.parse(Path(path).read_text())


def parsed(path: Path) -> ast.Module:
    """The module's syntax tree, read once per version of the file (every rule reads the
    whole tree; the checks only walk it). A check of a tree is cached on it
    (`@functools.cache`): a new version of a file is a new tree."""
    return _parsed(str(path), path.stat().st_mtime_ns)


def modules(root: Path = ROOT) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in [*root.glob("bot/**/*.py"), *root.glob("handlers/**/*.py")]:
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`, and nothing else (`TYPE_CHECKING or True`
    holds at run time too)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Attribute)
        and test.attr == "TYPE_CHECKING"
        and isinstance(test.value, ast.Name)
        and test.value.id == "typing"
    )


@functools.cache
def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """What only a type checker runs: the body of `if TYPE_CHECKING:` (its `else:` runs)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            hidden.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return hidden


def _name_of(path: Path, known: dict[str, Path]) -> str:
    return next(name for name, where in known.items() if where == path)


def _absolute(node: ast.ImportFrom, path: Path, known: dict[str, Path]) -> str:
    """The module `from .x import y` (or `from .. import y`) names, from where `path` sits."""
    if node.level == 0:
        return node.module or ""
    package = _name_of(path, known).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


@functools.cache
def _import_statements(tree: ast.Module, typing: bool) -> tuple[ast.Import | ast.ImportFrom, ...]:
    """The module's import statements at any depth (with `typing`, those only a type checker
    runs too); found once per version of a file, as `parsed` reads it once."""
    hidden = set() if typing else _type_checking_nodes(tree)
    return tuple(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in hidden
    )


def imports_of(path: Path, known: dict[str, Path], *, typing: bool = False) -> set[str]:
    """Every module `path` imports, at any depth of its code (deferred ones too; with
    `typing`, those under `if TYPE_CHECKING:` too); a relative import by the module it names."""
    found: set[str] = set()
    for node in _import_statements(parsed(path), typing):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (module := _absolute(node, path, known)):
            submodules = {f"{module}.{a.name}" for a in node.names} & set(known)
            found.update(submodules if len(submodules) == len(node.names) else {module})
            found.update(submodules)
    return found


def graph(root: Path = ROOT, *, typing: bool = False) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports_of(path, known, typing=typing) for name, path in known.items()}


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


@functools.cache
def _docstrings(tree: ast.AST) -> set[int]:
    """Strings that stand alone as statements (docstrings): they document, never say."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


@functools.cache
def module_strings(tree: ast.AST) -> dict[str, str]:
    """The module's named strings (`TYPE = "type"`, `HINT: Final = "…"`), by name: a key or a
    template may stand behind one."""
    named: dict[str, str] = {}
    value: ast.expr | None
    for node in tree.body if isinstance(tree, ast.Module) else []:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            named.update({t.id: value.value for t in targets if isinstance(t, ast.Name)})
    return named


def _string(node: ast.AST | None, named: dict[str, str]) -> object:
    """A constant's value, or the string a module-level name stands for (else None)."""
    if isinstance(node, ast.Constant):
        return node.value
    return named.get(node.id) if isinstance(node, ast.Name) else None


def strings_saying(tree: ast.AST, words: Iterable[str]) -> list[int]:
    """Lines whose strings (or f-strings' text; docstrings aside) contain one of `words`."""
    documenting, wanted = _docstrings(tree), tuple(words)
    return sorted(
        {
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in documenting
            and any(word in node.value for word in wanted)
        }
    )


# A `%` template's field (`%s`, `%(name)r`, `%-5d`); `%%` is a percent sign.
PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def _filled(template: str, style: str) -> str:
    """A template's text with each field filled by `x`: "*{}*" → "*x*", "`%s`" → "`x`"."""
    if style == "%":
        return PERCENT_FIELD.sub(lambda m: "%" if m.group() == "%%" else "x", template)
    try:
        pieces = string.Formatter().parse(template)
        return "".join(text + ("x" if field is not None else "") for text, field, _, _ in pieces)
    except ValueError:  # no template after all: its text as it stands
        return template


def _said(node: ast.expr, named: dict[str, str]) -> str | None:
    """The text a string expression writes, each value in it an `x` (None: not a string)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        template = _string(node.left, named)
        return _filled(template, "%") if isinstance(template, str) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        template = _string(node.func.value, named)
        if isinstance(template, str) and node.func.attr == "format":
            return _filled(template, "{}")
        if isinstance(template, str) and node.func.attr == "join" and node.args:
            parts = node.args[0]
            if isinstance(parts, ast.List | ast.Tuple):
                return template.join(_said(e, named) or "x" for e in parts.elts)
    return None


@functools.cache
def composed_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Texts put together at run time, as they read with each value an `x`: a concatenation
    (`"<" + "@" + user + ">"` → "<@x>", adjacent pieces joined), a `.format` or `%` template
    (`"*{}*".format(x)` → "*x*"; a module-level name for one too) and `"".join([…])`."""
    named = module_strings(tree)
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            inner.update({id(node.left), id(node.right)})
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and id(node) not in inner:
            parts: list[ast.expr] = []
            todo: list[ast.expr] = [node]
            while todo:  # left to right
                part = todo.pop()
                if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):
                    todo.extend([part.right, part.left])
                else:
                    parts.append(part)
            said = [_said(part, named) for part in parts]
            if any(text is not None for text in said):
                texts.append((node.lineno, "".join("x" if t is None else t for t in said)))
        elif isinstance(node, ast.Call) or (
            isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
        ):
            text = _said(node, named)
            if text is not None:
                texts.append((node.lineno, text))
    return texts


@functools.cache
def tokens_typed_in(tree: ast.AST) -> list[int]:
    """Lines with Slack's tokens typed in a string or an f-string's text (`<@`, `<!`, `<#`), or
    put together (`"<" + "@" + user + ">"`, `"<@{}>".format(user)`)."""
    composed = {n for n, text in composed_texts(tree) if any(t in text for t in SLACK_TOKENS)}
    return sorted({*strings_saying(tree, SLACK_TOKENS), *composed})


def core_writing_markup(root: Path = ROOT) -> dict[str, list[str]]:
    """Core modules that write Slack's own tokens (mentions, date tokens), through bot.mrkdwn
    or typed in a string (a line number, then)."""
    writing: dict[str, list[str]] = {}
    for name, path in modules(root).items():
        if not name.startswith(CORE) or name.startswith(MIGRATIONS):
            continue
        tree = parsed(path)
        found = [f"line {n}" for n in tokens_typed_in(tree)]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.mrkdwn":
                found += [alias.name for alias in node.names if alias.name in SLACK_MARKUP]
            elif isinstance(node, ast.ImportFrom) and node.module == "bot":
                found += [f"bot.{a.name}" for a in node.names if a.name == "mrkdwn"]
            elif isinstance(node, ast.Import):
                found += [a.name for a in node.names if a.name == "bot.mrkdwn"]
        if found:
            writing[name] = sorted(found)
    return writing


@functools.cache
def mrkdwn_typed_in(tree: ast.AST) -> list[int]:
    """Lines writing mrkdwn in a string: an emoji code (`:warning: `), or an f-string wrapping
    a value in backticks or stars (f"`{name}`", f"*{name}*"); docstrings may show them."""
    documenting = _docstrings(tree)
    found = {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in documenting
        and EMOJI_CODE.search(node.value)
    }
    found.update(n for n, text in composed_texts(tree) if EMOJI_CODE.search(text))
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        texts = [str(v.value) if isinstance(v, ast.Constant) else "" for v in [None, *node.values, None]]
        for i, value in enumerate(node.values, start=1):
            before, after = texts[i - 1], texts[i + 1]
            wrapped = any(before.endswith(mark) and after.startswith(mark) for mark in EMPHASIS)
            if isinstance(value, ast.FormattedValue) and wrapped:
                found.add(node.lineno)
    return sorted(found)


@functools.cache
def spans_typed_in(tree: ast.AST) -> list[int]:
    """Lines writing a code span or bold by hand in a string or an f-string's text: a backtick,
    or a `*word*` pair (a value's too: f"*{name}*"); docstrings may show them."""
    documenting = _docstrings(tree)
    found = set(strings_saying(tree, (CODE_MARK,)))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = "" if id(node) in documenting else node.value
        else:
            continue
        if BOLD_PAIR.search(text):
            found.add(node.lineno)
    found.update(n for n, text in composed_texts(tree) if CODE_MARK in text or BOLD_PAIR.search(text))
    return sorted(found)


def core_writing_mrkdwn(root: Path = ROOT) -> dict[str, list[str]]:
    """Core modules (and the domain, bot.errors, bot.phone) that write mrkdwn: importing
    bot.mrkdwn's writers (`code`, `escape`…) or typing emoji codes, wrapped values, code spans or
    bold in their strings (a line number, then)."""
    writing: dict[str, list[str]] = {}
    for name, path in modules(root).items():
        if not _within(name, (*CORE, *SAYS_THROUGH_THE_CORE)) or name.startswith(MIGRATIONS):
            continue
        tree = parsed(path)
        lines = {*mrkdwn_typed_in(tree), *spans_typed_in(tree)}
        found = [f"line {n}" for n in sorted(lines)]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.mrkdwn":
                found += [a.name for a in node.names if a.name not in MRKDWN_READERS]
        if found:
            writing[name] = sorted(found)
    return writing


def _is_feature(module: str) -> bool:
    return module == "handlers" or module.startswith("handlers.")


def slack_layer_reaching_features(root: Path = ROOT) -> dict[str, list[str]]:
    """Modules of the Slack layer (bot.slack) that reach a feature, however many steps away."""
    edges = graph(root)
    reaching = {
        name: sorted(t for t in reach(edges, name) if _is_feature(t))
        for name in edges
        if name == "bot.slack" or name.startswith("bot.slack.")
    }
    return {k: v for k, v in reaching.items() if v}


def features_imported_outside_the_root(root: Path = ROOT) -> dict[str, list[str]]:
    """Modules under bot/ importing a feature directly, other than the composition root."""
    importing = {
        name: sorted(t for t in targets if _is_feature(t))
        for name, targets in graph(root).items()
        if name.startswith("bot.") and name != COMPOSITION_ROOT
    }
    return {k: v for k, v in importing.items() if v}


# What reads the time, by what it is called at its home (`datetime.datetime`), whatever a
# module names it (`import datetime as dt`, `from datetime import datetime as DT`).
CLOCK_HOMES = {"datetime.datetime": "datetime", "datetime.date": "date", "time": "time"}


def _imported_as(tree: ast.AST) -> dict[str, str]:
    """What each name a module imports stands for: `dt` → `datetime`, `DT` →
    `datetime.datetime`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update({a.asname: a.name for a in node.names if a.asname})
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return names


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


@functools.cache
def time_read_in(tree: ast.AST) -> list[int]:
    """Lines reading the time themselves: `datetime.now(UTC)`, `time.monotonic` (called or
    passed on), `from time import perf_counter`, under any name the module gives them
    (`dt.datetime.now()`, `DT.now()`, `t.time()`)."""
    imported = _imported_as(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (receiver := _dotted(node.value)):
            head, _, rest = receiver.partition(".")
            home = ".".join(filter(None, [imported.get(head, head), rest]))
            readings = TIME_READINGS.get(CLOCK_HOMES.get(home, home), set())
            if node.attr in readings:
                found.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "time"
            and any(a.name in TIME_READINGS["time"] for a in node.names)
        ):
            found.append(node.lineno)
    return sorted(set(found))


def reading_the_time(root: Path = ROOT) -> dict[str, list[int]]:
    """Modules that read the time other than through the one clock."""
    reading = {}
    for name, path in modules(root).items():
        if _within(name, MAY_READ_THE_TIME):
            continue
        lines = time_read_in(parsed(path))
        if lines:
            reading[name] = lines
    return reading


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
    """Lines with a dict literal holding a "type" key (`{"type": …}`, or `{TYPE: …}` where the
    module says `TYPE = "type"`): Block Kit written by hand."""
    named = module_strings(tree)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict) and any(_string(k, named) == "type" for k in node.keys)
    )


def features_writing_block_kit(root: Path = ROOT) -> dict[str, list[int]]:
    """Feature modules writing Block Kit by hand (bot/slack/blocks.py builds it): a dict with a
    "type", however written, or a view's "type" or "blocks" edited in place."""
    writing = {
        name: block_kit_by_hand_in(parsed(path))
        for name, path in modules(root).items()
        if name.startswith("handlers")
    }
    return {k: v for k, v in writing.items() if v}


# Ways to start a task besides the task runner's `spawn`: asyncio's (`asyncio.create_task`,
# `loop.create_task`, `ensure_future`…), however imported.
TASK_STARTS = frozenset({"spawn", "create_task", "ensure_future", "run_coroutine_threadsafe"})


@functools.cache
def tasks_started_in(tree: ast.AST) -> list[int]:
    """Lines starting background work: `….spawn(…)`, `asyncio.create_task(…)`,
    `loop.create_task(…)`, `ensure_future(…)`, or importing one of asyncio's by name."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in TASK_STARTS) or (
                isinstance(func, ast.Name) and func.id in TASK_STARTS - {"spawn"}
            ):
                found.add(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "asyncio"
            and any(a.name in TASK_STARTS for a in node.names)
        ):
            found.add(node.lineno)
    return sorted(found)


def features_spawning_silently(root: Path = ROOT) -> dict[str, list[int]]:
    """Feature modules starting background work themselves (`….spawn(…)`,
    `asyncio.create_task(…)`) rather than through handlers.shared.background, which always says
    where a failure is told."""
    spawning = {
        name: tasks_started_in(parsed(path))
        for name, path in modules(root).items()
        if name.startswith("handlers") and name != "handlers.shared.background"
    }
    return {k: v for k, v in spawning.items() if v}


# Where a module may be imported by a name computed at run time (`importlib.import_module`,
# `__import__`), each with why; nowhere now: every import is written out, so the import rules
# above see it.
MAY_IMPORT_DYNAMICALLY: dict[str, str] = {}
DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


@functools.cache
def dynamic_imports_in(tree: ast.AST) -> list[int]:
    """Lines importing by a name computed at run time, which no import rule can see:
    `importlib.import_module(…)`, `__import__(…)`, `importlib.__import__(…)`, or taking
    `import_module` from importlib."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in DYNAMIC_IMPORTS) or (
                isinstance(func, ast.Name) and func.id in DYNAMIC_IMPORTS
            ):
                found.add(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module in {"importlib", "builtins"}
            and any(a.name in DYNAMIC_IMPORTS for a in node.names)
        ):
            found.add(node.lineno)
    return sorted(found)


def importing_dynamically(root: Path = ROOT) -> dict[str, list[int]]:
    """Modules under bot/ and handlers/ importing by a computed name (MAY_IMPORT_DYNAMICALLY
    aside)."""
    importing = {
        name: dynamic_imports_in(parsed(path))
        for name, path in modules(root).items()
        if not _within(name, tuple(MAY_IMPORT_DYNAMICALLY))
    }
    return {k: v for k, v in importing.items() if v}


# A piece of a provider's name this long, tested against a string (`.startswith("voip")`,
# `"central" in text`), names it too.
NAME_PIECE = 4
PIECE_TESTS = {"startswith": str.startswith, "endswith": str.endswith}


def _pieces_tested(node: ast.AST) -> list[tuple[str, ast.expr]]:
    """The constants a test matches against a string: `x.startswith("voip")` (a tuple's
    too), `"voip" in x`; with how each matches a name (a prefix, a suffix, either)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in PIECE_TESTS
        and node.args
    ):
        arg = node.args[0]
        return [(node.func.attr, e) for e in (arg.elts if isinstance(arg, ast.Tuple) else [arg])]
    if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
        return [("in", node.left)]
    return []


def _a_piece_of(kind: str, text: str, names: set[str]) -> bool:
    text = text.lower()
    if len(text) < NAME_PIECE:
        return False
    ways = [PIECE_TESTS[kind]] if kind in PIECE_TESTS else list(PIECE_TESTS.values())
    return any(way(name, text) for name in names for way in ways)


def _a_line_reference(head: str, names: set[str]) -> bool:
    """A line reference starts "voipnow:" (or "VOIPNOW:"); "VoipNow: …", a provider's name as
    people see it leading a sentence, is the words check's (`MAY_SAY_PROVIDERS`)."""
    return head.lower() in names and head not in {p.name.display for p in PLUGINS}


@functools.cache
def provider_names_in(tree: ast.AST) -> list[int]:
    """Lines that name a provider: `VOIPNOW`, or a string that is a provider's name in any
    case ("ringcentral", "RINGCENTRAL") or starts a `name:` line reference ("smspartner:"),
    or a piece of a name of NAME_PIECE letters or more that a string is tested against
    (`x.startswith("voip")`, `"central" in x`)."""
    names = {p.name.value for p in PLUGINS}
    constants = {name.upper() for name in names}  # `VOIPNOW`, as each package declares it
    found = []
    for node in ast.walk(tree):
        if (
            (isinstance(node, ast.Name) and node.id in constants)
            or (isinstance(node, ast.Attribute) and node.attr in constants)
            or (isinstance(node, ast.alias) and (node.asname or node.name) in constants)
        ) or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and (
                node.value.lower() in names
                or (":" in node.value and _a_line_reference(node.value.partition(":")[0], names))
            )
        ):
            found.append(node.lineno)
        found.extend(
            piece.lineno
            for kind, piece in _pieces_tested(node)
            if isinstance(piece, ast.Constant)
            and isinstance(piece.value, str)
            and _a_piece_of(kind, piece.value, names)
        )
    return sorted(set(found))


def provider_words_in(tree: ast.AST) -> list[int]:
    """Lines whose strings (or f-strings' text; docstrings and comments aside) write a
    provider's name as people see it ("RingCentral") or a path of its own ("/ringcentral/")."""
    words = {p.name.display for p in PLUGINS} | {f"/{p.name.value}/" for p in PLUGINS}
    return strings_saying(tree, words)


def provider_packages(root: Path = ROOT) -> tuple[str, ...]:
    """Every provider's folder under bot/providers/, `__init__.py` or not (as `features`)."""
    return tuple(
        f"bot.providers.{p.name}"
        for p in (root / "bot" / "providers").iterdir()
        if p.is_dir() and p.name != "__pycache__" and any(p.rglob("*.py"))
    )


def naming_providers(root: Path = ROOT) -> dict[str, list[int]]:
    """Modules outside the provider packages (and the few places allowed) naming a provider,
    in code or in a string's words (`MAY_SAY_PROVIDERS` aside)."""
    allowed = (*provider_packages(root), *MAY_NAME_PROVIDERS)
    naming = {}
    for name, path in modules(root).items():
        if _within(name, allowed):
            continue
        tree = parsed(path)
        says = [] if _within(name, tuple(MAY_SAY_PROVIDERS)) else provider_words_in(tree)
        lines = sorted({*provider_names_in(tree), *says})
        if lines:
            naming[name] = lines
    return naming


def importing_provider_packages(root: Path = ROOT) -> dict[str, list[str]]:
    """Modules outside the provider packages (and the few places allowed) importing one."""
    packages = provider_packages(root)
    allowed = (*packages, *MAY_IMPORT_PROVIDERS)
    importing = {}
    for name, targets in graph(root).items():
        if _within(name, allowed):
            continue
        found = sorted(t for t in targets if _within(t, packages))
        if found:
            importing[name] = found
    return importing


def importing_the_registry(root: Path = ROOT) -> dict[str, list[str]]:
    """Modules beyond `MAY_IMPORT_THE_REGISTRY` importing the registry (or a module of it, were
    it a package), an import only a type checker runs included."""
    importing = {}
    for name, targets in graph(root, typing=True).items():
        if _within(name, MAY_IMPORT_THE_REGISTRY):
            continue
        found = sorted(t for t in targets if _within(t, (REGISTRY,)))
        if found:
            importing[name] = found
    return importing


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(f"{a}.") for a in packages)


def import_cycles(root: Path = ROOT) -> list[list[str]]:
    """Modules importing one another, however indirectly; an import under `TYPE_CHECKING`
    counts (a cycle hidden there is still two modules that need each other)."""
    known = set(modules(root))
    edges = {name: targets & known for name, targets in graph(root, typing=True).items()}
    return _cycles(edges)


def test_no_import_cycles() -> None:
    assert import_cycles() == []


def test_the_core_writes_no_slack_tokens() -> None:
    writing = core_writing_markup()
    assert set(writing) - MARKUP_DEBT == set(), writing
    assert MARKUP_DEBT - set(writing) == set(), "strike these off MARKUP_DEBT"


def test_the_token_check_sees_strings_and_f_strings_but_not_docstrings() -> None:
    planted = '''
"""Mentions look like `<@U123>`."""
who = f"<@{user}>'s call"
where = "<#" + channel + ">"
everyone = "<!channel>"
fine = f"{name} & co (<tier 1>)"
'''
    assert tokens_typed_in(ast.parse(planted)) == [3, 4, 5]


def test_the_token_check_sees_a_token_put_together() -> None:
    planted = """
who = "<" + "@" + user + ">"
here = "<" + ("!" + "here") + "> the hotline is down"
TEMPLATE = "<%s>"
also = TEMPLATE % ("@" + user)
joined = "".join(["<", "#", channel, ">"])
"""
    assert tokens_typed_in(ast.parse(planted)) == [2, 3, 6]
    innocent = """
who = "<" + name + ">"
total = count + 1
tier = "<{}>".format(level)
"""
    assert tokens_typed_in(ast.parse(innocent)) == []


def test_the_core_writes_no_mrkdwn() -> None:
    writing = core_writing_mrkdwn()
    assert set(writing) - set(MRKDWN_DEBT) == set(), writing
    assert set(MRKDWN_DEBT) - set(writing) == set(), "strike these off MRKDWN_DEBT"


def test_the_mrkdwn_check_sees_emoji_and_wrapped_values_but_not_ids_or_docstrings() -> None:
    planted = '''
"""Writes `:warning:` before a `{name}` (a docstring may say so)."""
head = ":alarm_clock: Your shift starts"
names = ", ".join(f"`{r.name}`" for r in rotations)
strong = f"no override on *{rotation.name}* now"
late = f"{head}; the hotline `{label}`."
fine = f"voipnow:{line_id} at 09:00, `/oncall take` or 0003*{ext} (`x23`)"
also = "smspartner:+33 or :smile"
'''
    assert mrkdwn_typed_in(ast.parse(planted)) == [3, 4, 5, 6]


def test_the_span_check_sees_code_spans_and_bold_typed_by_hand_but_not_stars_or_docstrings() -> None:
    planted = '''
"""Run `/oncall create` (a docstring may show a *command*)."""
hint = "There is no rotation yet; an admin can create one with `/oncall create`."
half = f". To move it, add `replace`: `/switchboard link {who}"
strong = "the *Support* rotation"
value = f"no override on *{rotation.name}* now"
fine = f"0003*{ext} or 0003*210, [0-9]*_*.py, {a} * {b}, *67"
said = message("an admin can create one with ", Verbatim("/oncall create"), ".")
'''
    assert spans_typed_in(ast.parse(planted)) == [3, 4, 5, 6]


def test_the_mrkdwn_checks_see_templates_and_concatenations() -> None:
    planted = """
STRONG = "*%s*"
strong = "*{}*".format(name)
code = "`%s`" % name
named = STRONG % rotation.name
plus = "the " + "*" + name + "* rotation"
joined = "".join(["*", name, "*"])
head = ":" + "warning" + ": down"
"""
    tree = ast.parse(planted)
    assert spans_typed_in(tree) == [3, 4, 5, 6, 7]
    assert mrkdwn_typed_in(tree) == [8]
    innocent = """
product = "%s * %s" % (a, b)
ext = "0003*" + ext
glob = "{}*{}".format(a, b)
share = "%d%%" % n
at = name + ": " + when
"""
    assert spans_typed_in(ast.parse(innocent)) == []
    assert mrkdwn_typed_in(ast.parse(innocent)) == []


def test_features_never_import_one_another() -> None:
    assert feature_crossings() == {}


def test_only_the_composition_root_registers_the_features() -> None:
    assert slack_layer_reaching_features() == {}
    assert features_imported_outside_the_root() == {}
    assert "handlers" in graph()[COMPOSITION_ROOT]


def test_the_product_has_one_clock() -> None:
    assert reading_the_time() == {}
    assert time_read_in(ast.parse((ROOT / "bot" / "domain" / "clock.py").read_text())) != []


def test_the_clock_check_sees_each_way_of_reading_the_time() -> None:
    planted = """
started = datetime.now(UTC)
deadline = time.monotonic() + 5
clock = time.time
from time import perf_counter
today = date.today()
"""
    assert time_read_in(ast.parse(planted)) == [2, 3, 4, 5, 6]
    innocent = """
moment = clock.now()
later = datetime.fromisoformat(text)
at = local.time()
"""
    assert time_read_in(ast.parse(innocent)) == []


def test_the_clock_check_sees_the_time_read_under_another_name() -> None:
    planted = """
import datetime as dt
import datetime
import time as t
from datetime import date as D, datetime as DT
started = dt.datetime.now(UTC)
then = DT.now()
today = D.today()
deadline = t.monotonic() + 5
naive = datetime.datetime.utcnow()
"""
    assert time_read_in(ast.parse(planted)) == [6, 7, 8, 9, 10]
    innocent = """
from bot.domain import clock as time
from datetime import datetime as DT, time as day_time
moment = time.now()
gap = time.monotonic()
later = DT.fromisoformat(text)
"""
    assert time_read_in(ast.parse(innocent)) == []


def test_nothing_is_imported_by_a_computed_name() -> None:
    assert importing_dynamically() == {}
    dynamic = {name for name, path in modules().items() if dynamic_imports_in(parsed(path))}
    unneeded = {a for a in MAY_IMPORT_DYNAMICALLY if not any(_within(n, (a,)) for n in dynamic)}
    assert unneeded == set(), "strike these off MAY_IMPORT_DYNAMICALLY"


def test_the_dynamic_import_check_sees_each_way_of_importing_by_name() -> None:
    planted = """
client = importlib.import_module("bot.providers.ringcentral.client")
bolt = __import__("slack_bolt")
from importlib import import_module as load
also = importlib.__import__("slack_sdk")
"""
    assert dynamic_imports_in(ast.parse(planted)) == [2, 3, 4, 5]
    innocent = """
import importlib.metadata
version = importlib.metadata.version("switchboard-bot")
"""
    assert dynamic_imports_in(ast.parse(innocent)) == []


def test_no_module_imports_relatively() -> None:
    relative = {
        name: [n.lineno for n in ast.walk(parsed(path)) if isinstance(n, ast.ImportFrom) and n.level]
        for name, path in modules().items()
    }
    assert {k: v for k, v in relative.items() if v} == {}


def test_ruff_bans_relative_imports_too() -> None:
    """The rules resolve `from ..slack import blocks`; ruff keeps the code from writing one."""
    project = ROOT / "pyproject.toml"
    if not project.is_file():  # a copy of the modules alone (test_adding_a_provider's)
        pytest.skip("no pyproject.toml in this tree")
    lint = tomllib.loads(project.read_text())["tool"]["ruff"]["lint"]
    assert {"TID252", "TID"} & set(lint["select"])
    assert lint["flake8-tidy-imports"]["ban-relative-imports"] == "all"


def test_relative_imports_are_read_as_the_modules_they_name(tmp_path: Path) -> None:
    (tmp_path / "bot" / "slack").mkdir(parents=True)
    (tmp_path / "bot" / "oncall" / "deep").mkdir(parents=True)
    files = {
        "bot/__init__.py": "",
        "bot/slack/__init__.py": "",
        "bot/slack/blocks.py": "",
        "bot/oncall/__init__.py": "from . import deep\nfrom .deep import inner\n",
        "bot/oncall/deep/__init__.py": "",
        "bot/oncall/deep/inner.py": "from ...slack import blocks\nfrom .. import deep\n",
        "bot/oncall/deep/other.py": "from ...slack.blocks import section\nfrom . import inner\n",
    }
    for where, text in files.items():
        (tmp_path / where).write_text(text)
    edges = graph(tmp_path)
    assert edges["bot.oncall"] == {"bot.oncall.deep", "bot.oncall.deep.inner"}
    assert edges["bot.oncall.deep.inner"] == {"bot.slack.blocks", "bot.oncall.deep"}
    assert edges["bot.oncall.deep.other"] == {"bot.slack.blocks", "bot.oncall.deep.inner"}


def test_features_never_import_the_store() -> None:
    assert features_reaching_the_store() == {}


def test_features_build_block_kit_through_one_layer() -> None:
    assert features_writing_block_kit() == {}


def test_features_start_background_work_through_one_helper() -> None:
    assert features_spawning_silently() == {}


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
if line.provider is VOIPNOW: pass
usable = [x for x in lines if x.on(SMSPARTNER)]
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


def test_the_provider_check_sees_a_name_in_another_case_or_in_pieces() -> None:
    planted = """
if x.value.upper() == "RINGCENTRAL": pass
if ref.startswith("voip"): pass
if ref.endswith(("central", "x")): pass
if "smsp" in ref: pass
ref = "VOIPNOW:" + line_id
"""
    assert provider_names_in(ast.parse(planted)) == [2, 3, 4, 5, 6]
    innocent = """
if ref.startswith("voi"): pass
if ref.endswith("ring"): pass
if "part" in words: pass
help = "RingCentral: enforce the limits"
"""
    assert provider_names_in(ast.parse(innocent)) == []


def test_only_the_registry_imports_a_provider_package() -> None:
    """Services and fronts get capability objects (`Adapter`), never a provider's own modules."""
    assert importing_provider_packages() == {}


def test_only_the_runtime_and_the_settings_import_the_registry() -> None:
    """Services, the on-call engine and the features are handed what they use (the runtime
    passes `providers.specs`, `providers.capabilities`), so none imports every provider."""
    assert importing_the_registry() == {}


def test_planted_registry_imports_are_caught(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "bot" / "services" / "planted_specs.py").write_text(
        "from bot.providers.registry import SPECS\n"
    )
    (root / "handlers" / "shared" / "planted_known.py").write_text(
        "from bot.providers import registry\n"
    )
    (root / "bot" / "oncall" / "planted_hint.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import bot.providers.registry\n"
    )
    (root / "bot" / "devkit" / "planted.py").write_text("from bot.providers.registry import KNOWN\n")
    assert importing_the_registry(root) == {
        "bot.services.planted_specs": [REGISTRY],
        "handlers.shared.planted_known": [REGISTRY],
        "bot.oncall.planted_hint": [REGISTRY],
    }


def test_the_provider_words_check_sees_names_and_paths_but_not_docstrings() -> None:
    planted = '''
"""RingCentral's webhook at /ringcentral/webhook (a docstring may say so)."""
NOT_YOURS = "That RingCentral login isn't yours."
PATH = "/ringcentral/oauth/start"
told = f"{mention(user)} signed in to VoipNow as {ext}"
LIMIT = "changes made in SMSPartner's dashboard can't be seen"  # SMSPartner (a comment may)
'''
    assert provider_words_in(ast.parse(planted)) == [3, 4, 5, 6]
    innocent = """
sentence = f"That {provider.display} login isn't yours."
label = typing.hotline_label
path = pages.start
spec = "voipnow:<userId>/<extension>"
"""
    assert provider_words_in(ast.parse(innocent)) == []


def test_each_allowance_to_say_a_provider_is_still_needed() -> None:
    """An allowance whose modules no longer write a provider's name is struck off."""
    saying = {name for name, path in modules().items() if provider_words_in(parsed(path))}
    unneeded = {a for a in MAY_SAY_PROVIDERS if not any(_within(n, (a,)) for n in saying)}
    assert unneeded == set(), "strike these off MAY_SAY_PROVIDERS"


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
        "    return [x for x in lines if x.on(VOIPNOW)]\n"
    )
    # speaks Slack one step away: only a transitive check sees it from bot.services.planted
    (root / "bot" / "planted_helper.py").write_text("import slack_sdk\n")
    (root / "bot" / "oncall" / "planted.py").write_text("from bot.mrkdwn import code, date_token\n")
    (root / "bot" / "services" / "planted_too.py").write_text("from bot import mrkdwn\n")
    (root / "bot" / "services" / "planted_mrkdwn.py").write_text(
        "from bot.mrkdwn import escape, mention, parse_mention\n\n"
        "def warn(name):\n"
        '    return f":warning: The `{name}` hotline is down"\n'
    )
    (root / "bot" / "oncall" / "planted_typed.py").write_text(
        '"""Writes `<@U…>` (a docstring may say so)."""\n\n'
        "def who(user):\n"
        '    return f"<@{user}> is on call"\n\n'
        'HERE = "<!here> the hotline is down"\n'
    )
    # fixed sentences with code spans and bold typed by hand (a migration, history, may keep its)
    (root / "bot" / "oncall" / "planted_spans.py").write_text(
        '"""Say `/oncall create` (a docstring may show a *command*)."""\n\n'
        'NONE_YET = "There is no rotation yet; an admin can create one with `/oncall create`."\n'
        'STRONG = "the *Support* rotation"\n'
        'EXT = "extension 0003*210"\n'
    )
    (root / "bot" / "store" / "migrations" / "planted.py").write_text('NOTICE = "run `/oncall`"\n')
    with (root / "bot" / "phone.py").open("a") as phone:
        phone.write('\n\ndef refused(text: str) -> str:\n    return f"`{text}` is no number."\n')
    (root / "handlers" / "shared" / "planted.py").write_text("from handlers.admin import views\n")
    (root / "handlers" / "forward" / "planted.py").write_text("from handlers.shared import planted\n")
    (root / "handlers" / "oncall" / "planted.py").write_text(
        "from bot.store.rotations import RotationRecord\nimport bot.store.links\n"
    )
    (root / "handlers" / "transfer" / "planted.py").write_text(
        "def picker(options):\n    return {'type': 'radio_buttons', 'options': options}\n\n"
        "def later(runtime, work):\n    runtime.tasks.spawn(work)\n"
    )
    (root / "handlers" / "newfeature").mkdir()
    # the Slack layer registering the features itself, and a front skipping the root
    (root / "bot" / "slack" / "planted.py").write_text("from bot.slack import planted_step\n")
    (root / "bot" / "slack" / "planted_step.py").write_text("from handlers import register_all\n")
    (root / "bot" / "web" / "planted.py").write_text("import handlers.home\n")
    # a front reaching into a provider's package
    (root / "bot" / "web" / "planted_hook.py").write_text(
        "from bot.providers.ringcentral.notifications import WEBHOOK_PATH\n"
    )
    # a feature writing a provider's name in a sentence (its docstring may say it)
    (root / "handlers" / "forward" / "planted_words.py").write_text(
        '"""Says what SMSPartner shows."""\nNOTE = "changes made in SMSPartner\'s dashboard"\n'
    )
    (root / "handlers" / "home" / "planted.py").write_text(
        "import time\n\ndef stamp():\n    return time.time()\n"
    )
    (root / "handlers" / "newfeature" / "__init__.py").write_text("import handlers.transfer\n")
    # a cycle only a type hint needs is still a cycle
    (root / "bot" / "providers" / "planted_a.py").write_text("from bot.providers import planted_b\n")
    (root / "bot" / "providers" / "planted_b.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from bot.providers import planted_a\n"
    )

    # blind spots a review found: the same violations, written another way
    (root / "handlers" / "admin" / "planted_rel.py").write_text("from .. import transfer\n")
    (root / "bot" / "oncall" / "planted_rel.py").write_text("from ..slack import blocks\n")
    (root / "bot" / "services" / "planted_dynamic.py").write_text(
        "import importlib\n\n"
        "def client():\n"
        '    return importlib.import_module("bot.providers.ringcentral.client")\n\n'
        'BOLT = __import__("slack_bolt")\n'
    )
    (root / "bot" / "services" / "planted_disguised.py").write_text(
        "def pick(lines):\n"
        '    return [x for x in lines if x.value.upper() == "RINGCENTRAL"]\n\n'
        "def voip(ref):\n"
        '    return ref.startswith("voip")\n'
    )
    (root / "bot" / "oncall" / "planted_built.py").write_text(
        "def who(user):\n"
        '    return "<" + "@" + user + ">"\n\n'
        "def strong(name):\n"
        '    return "*{}*".format(name)\n'
    )
    (root / "handlers" / "oncall" / "planted_tasks.py").write_text(
        "import asyncio\n\n"
        "def later(loop, work):\n"
        "    asyncio.create_task(work())\n"
        "    asyncio.ensure_future(work())\n"
        "    loop.create_task(work())\n"
    )
    (root / "handlers" / "home" / "planted_alias.py").write_text(
        "import datetime as dt\nfrom datetime import datetime as DT\n\n"
        "def stamp():\n    return dt.datetime.now(), DT.now()\n"
    )
    (root / "handlers" / "oncall" / "planted_keys.py").write_text(
        'TYPE = "type"\n\n'
        "def picker(options):\n"
        '    return {TYPE: "radio_buttons", "options": options}\n\n'
        "def divider():\n"
        '    return dict([("type", "divider")])\n'
    )
    (root / "handlers" / "noinit").mkdir()
    (root / "bot" / "providers" / "noinit").mkdir()
    (root / "bot" / "providers" / "noinit" / "client.py").write_text("")
    (root / "bot" / "web" / "planted_noinit.py").write_text("from bot.providers.noinit import client\n")
    (root / "handlers" / "noinit" / "planted.py").write_text("import handlers.transfer\n")

    assert "bot.oncall.planted_rel" in core_speaking_slack(root)
    assert "bot.slack.blocks" in core_speaking_slack(root)["bot.oncall.planted_rel"]
    assert "handlers.transfer" in feature_crossings(root)["handlers.admin.planted_rel"]
    assert importing_dynamically(root) == {"bot.services.planted_dynamic": [4, 6]}
    assert naming_providers(root)["bot.services.planted_disguised"] == [2, 5]
    assert core_writing_markup(root)["bot.oncall.planted_built"] == ["line 2"]
    assert core_writing_mrkdwn(root)["bot.oncall.planted_built"] == ["line 5"]
    assert "noinit" in features(root)
    assert "handlers.transfer" in feature_crossings(root)["handlers.noinit.planted"]
    assert naming_providers(root)["bot.services.planted"] == [5]
    assert importing_provider_packages(root) == {
        "bot.web.planted_hook": ["bot.providers.ringcentral.notifications"],
        "bot.web.planted_noinit": ["bot.providers.noinit.client"],
    }
    assert naming_providers(root)["handlers.forward.planted_words"] == [2]
    assert core_speaking_slack(root)["bot.services.planted"] == ["slack_sdk"]
    assert core_writing_markup(root)["bot.oncall.planted"] == ["date_token"]
    assert core_writing_markup(root)["bot.services.planted_too"] == ["bot.mrkdwn"]
    assert core_writing_markup(root)["bot.oncall.planted_typed"] == ["line 4", "line 6"]
    assert core_writing_mrkdwn(root)["bot.services.planted_mrkdwn"] == ["escape", "line 4", "mention"]
    assert core_writing_mrkdwn(root)["bot.oncall.planted"] == ["code", "date_token"]
    assert core_writing_mrkdwn(root)["bot.oncall.planted_spans"] == ["line 3", "line 4"]
    phone_lines = len((root / "bot" / "phone.py").read_text().splitlines())
    assert core_writing_mrkdwn(root)["bot.phone"] == [f"line {phone_lines}"]
    assert "bot.store.migrations.planted" not in core_writing_mrkdwn(root)
    assert "handlers.admin.views" in feature_crossings(root)["handlers.forward.planted"]
    assert "handlers.transfer" in feature_crossings(root)["handlers.newfeature"]
    assert features_writing_block_kit(root) == {
        "handlers.transfer.planted": [2],
        "handlers.oncall.planted_keys": [4, 7],
    }
    assert features_spawning_silently(root) == {
        "handlers.transfer.planted": [5],
        "handlers.oncall.planted_tasks": [4, 5, 6],
    }
    assert features_reaching_the_store(root)["handlers.oncall.planted"] == [
        "bot.store.links",
        "bot.store.rotations",
    ]
    assert "handlers" in slack_layer_reaching_features(root)["bot.slack.planted"]
    assert features_imported_outside_the_root(root)["bot.web.planted"] == ["handlers.home"]
    assert features_imported_outside_the_root(root)["bot.slack.planted_step"] == ["handlers"]
    assert reading_the_time(root) == {
        "handlers.home.planted": [4],
        "handlers.home.planted_alias": [5],
    }
    assert ["bot.providers.planted_a", "bot.providers.planted_b"] in import_cycles(root)


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


# --- Layers by rank -------------------------------------------------------------
# Every module under bot/ and handlers/ sits in exactly one layer; an import (deferred ones
# too) points to its own layer or one below. Lowest first:
#   base        shared utilities that import nothing of ours but each other: the request
#               context, redaction, metrics, logs setup, mrkdwn escaping, phone numbers, GC
#               tuning. Below the domain by rank; the domain imports none of them anyway
#               (it is standard library only, test_the_domain_is_standard_library_only).
#   domain      pure types and rules (bot/domain), and bot.errors: the domain's errors and the
#               sentence any error becomes (a provider's error brings its own, as an
#               `ExternalError`, so bot.errors knows no provider).
#   store       models, migrations, repositories.
#   providers   provider clients and the registry; they may use the store (tokens, links,
#               toggles, rate windows: docs/architecture.md), the store never uses them.
#               bot.settings reads each plug-in's settings section, so it sits here with them;
#               the registry reads it through a protocol (`RegistrySettings`).
#   services    use cases, the on-call engine, the task runner, the core loops and the
#               destination rules.
#   slack       the Slack layer (bot/slack): Block Kit, notices, the Bolt app before features.
#   runtime     bot.runtime: the services wired to the Slack layer's implementations.
#   features    handlers/.
#   composition bot.compose (the app with every feature) and bot.lifecycle (start, stop).
#   fronts      bot/web, the CLI, `switchboard check`, the manifest.
#   devkit      dev tools: they may use anything; production reaches them only through the
#               two deferred doors (DEVKIT_DOORS), which the dev-tools test guards.
LAYERS = (
    "base",
    "domain",
    "store",
    "providers",
    "services",
    "slack",
    "runtime",
    "features",
    "composition",
    "fronts",
    "devkit",
)
# A package's name places it and everything under it; a top-level module is placed by name.
LAYER_OF = {
    "bot": "base",  # bot/__init__.py
    "bot.context": "base",
    "bot.redact": "base",
    "bot.metrics": "base",
    "bot.logs": "base",
    "bot.mrkdwn": "base",
    "bot.phone": "base",
    "bot.gc_tuning": "base",
    "bot.domain": "domain",
    "bot.store": "store",
    "bot.providers": "providers",
    "bot.errors": "domain",
    "bot.settings": "providers",
    "bot.services": "services",
    "bot.oncall": "services",
    "bot.destinations": "services",
    "bot.tasks": "services",
    "bot.scheduler": "services",
    "bot.profile_checks": "services",
    "bot.slack": "slack",
    "bot.runtime": "runtime",
    "handlers": "features",
    "bot.compose": "composition",
    "bot.lifecycle": "composition",
    "bot.web": "fronts",
    "bot.cli": "fronts",
    "bot.__main__": "fronts",
    "bot.check": "fronts",
    "bot.manifest": "fronts",
    "bot.devkit": "devkit",
}
# The deferred imports through which production may start a dev tool (and nothing else).
DEVKIT_DOORS = frozenset({"bot.cli", "bot.providers.registry"})


def _is_under(module: str, package: str) -> bool:
    return _within(module, (package,))


def layer_of(module: str) -> str | None:
    """The layer a module sits in: its longest placed prefix in LAYER_OF (None: unplaced).
    A top-level module (`bot.tasks`) is placed by its own name, never by `bot`'s."""
    if module == "bot" or (module.startswith("bot.") and module.count(".") == 1):
        return LAYER_OF.get(module)
    placed = [p for p in LAYER_OF if p != "bot" and _is_under(module, p)]
    return LAYER_OF[max(placed, key=len)] if placed else None


def unplaced_modules(root: Path = ROOT) -> list[str]:
    return sorted(name for name in modules(root) if layer_of(name) is None)


def _through_a_devkit_door(source: str, target: str) -> bool:
    return source in DEVKIT_DOORS and _is_under(target, "bot.devkit")


def upward_imports(root: Path = ROOT) -> dict[str, list[str]]:
    """Modules importing (deferred imports too) a module of a higher layer."""
    rank = {layer: n for n, layer in enumerate(LAYERS)}
    known = set(modules(root))
    upward: dict[str, list[str]] = {}
    for name, targets in graph(root).items():
        mine = layer_of(name)
        if mine is None:
            continue
        above = sorted(
            f"{t} ({layer_of(t)})"
            for t in targets & known
            if (theirs := layer_of(t)) is not None
            and rank[theirs] > rank[mine]
            and not _through_a_devkit_door(name, t)
        )
        if above:
            upward[name] = above
    return upward


def package_of(module: str) -> str:
    """The unit of the package-level cycle check: a package directly under bot/ (`bot.slack`),
    a top-level module (`bot.tasks`), or a feature (`handlers.forward`, `handlers.shared`)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan's)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(cycles)


def package_cycles(root: Path = ROOT) -> list[list[str]]:
    """Packages (and top-level modules) needing one another, however indirectly, counting
    `TYPE_CHECKING` imports; the deferred dev-tool doors excepted."""
    known = set(modules(root))
    edges: dict[str, set[str]] = defaultdict(set)
    for name, targets in graph(root, typing=True).items():
        edges[package_of(name)]
        for target in targets & known:
            if package_of(target) != package_of(name) and not _through_a_devkit_door(name, target):
                edges[package_of(name)].add(package_of(target))
    return _cycles(edges)


def test_every_module_sits_in_one_layer() -> None:
    assert unplaced_modules() == []
    nested = [(a, b) for a in LAYER_OF for b in LAYER_OF if a != "bot" and a != b and _is_under(b, a)]
    assert nested == [], "a package is placed once, with everything under it"
    assert set(LAYER_OF.values()) == set(LAYERS)


def test_imports_point_to_the_same_layer_or_below() -> None:
    assert upward_imports() == {}


def test_no_package_needs_another_that_needs_it() -> None:
    assert package_cycles() == []


def test_planted_layer_violations_are_caught(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "bot" / "store" / "planted_up.py").write_text("from bot.services import toggles\n")
    (root / "bot" / "providers" / "planted_up.py").write_text(
        "def later():\n    from bot.oncall.engine import HandoffEngine\n    return HandoffEngine\n"
    )
    (root / "bot" / "planted_new.py").write_text("")
    (root / "bot" / "domain" / "planted_up.py").write_text("import bot.redact\n")  # base: below
    # a package cycle no module cycle shows (oncall already uses services)
    (root / "bot" / "services" / "planted_pkg.py").write_text("from bot.oncall import hotlines\n")
    # a top-level module and a package needing each other through a type hint
    (root / "bot" / "planted_top.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from bot.slack.blocks import Block\n"
    )
    (root / "bot" / "slack" / "planted_back.py").write_text("from bot import planted_top\n")
    # only the body of `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`) is for the type checker
    (root / "bot" / "store" / "planted_typing.py").write_text(
        "import typing\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from bot.services import toggles\n"
        "else:\n    from bot.oncall import engine\n"
        "if TYPE_CHECKING or True:\n    from bot.slack import blocks\n"
        "if typing.TYPE_CHECKING:\n    from bot.runtime import Runtime\n"
    )

    assert unplaced_modules(root) == ["bot.planted_new", "bot.planted_top"]
    upward = upward_imports(root)
    assert upward["bot.store.planted_up"] == ["bot.services.toggles (services)"]
    assert upward["bot.providers.planted_up"] == ["bot.oncall.engine (services)"]
    assert "bot.domain.planted_up" not in upward
    assert upward["bot.store.planted_typing"] == [
        "bot.oncall.engine (services)",
        "bot.slack.blocks (slack)",
    ]
    cycles = [set(c) for c in package_cycles(root)]
    assert any({"bot.oncall", "bot.services"} <= c for c in cycles)
    # (with bot.store.planted_typing's, in one with more: the planted upward imports close it)
    assert any({"bot.planted_top", "bot.slack"} <= c for c in cycles)


# --- Block Kit by hand, however written -----------------------------------------------------
# Keys that make a dict Block Kit, or whose editing in place rewrites a view by hand.
BLOCK_KIT_KEYS = frozenset({"type", "blocks"})
LIST_EDITS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"})


def _keys_subscripted(node: ast.AST, named: dict[str, str]) -> set[object]:
    """The constant keys along a subscript chain: `view["blocks"][-1:-1]` → {"blocks"}
    (`view[BLOCKS]` too, a module-level name for one)."""
    keys: set[object] = set()
    while isinstance(node, ast.Subscript):
        keys.add(_string(node.slice, named))
        node = node.value
    return keys


def _pairs_typed(node: ast.Call, named: dict[str, str]) -> bool:
    """`dict([("type", …), …])`, `….update((("type", …),))`: a "type" key in pairs."""
    pairs = node.args[0] if node.args else None
    return isinstance(pairs, ast.List | ast.Tuple | ast.Set) and any(
        isinstance(pair, ast.Tuple) and pair.elts and _string(pair.elts[0], named) == "type"
        for pair in pairs.elts
    )


def _assigned(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = list(node.targets)
    else:
        return []
    flat: list[ast.expr] = []
    while targets:
        target = targets.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            targets.extend(target.elts)
        else:
            flat.append(target)
    return flat


@functools.cache
def block_kit_by_hand_in(tree: ast.AST) -> list[int]:
    """Lines writing Block Kit by hand: a dict literal with a "type" key, `dict(type=…)` or
    `….update(type=…)`, `x["type"] = …`, or a view's blocks edited in place
    (`view["blocks"][-1:-1] = …`, `view["blocks"].append(…)`)."""
    found = set(block_kit_literals_in(tree))
    named = module_strings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            named_type = any(k.arg == "type" for k in node.keywords)
            builds = (isinstance(func, ast.Name) and func.id == "dict") or (
                isinstance(func, ast.Attribute) and func.attr in {"update", "setdefault"}
            )
            if (
                (builds and (named_type or _pairs_typed(node, named)))
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in {"update", "setdefault"}
                    and node.args
                    and _string(node.args[0], named) == "type"
                )
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in LIST_EDITS
                    and _keys_subscripted(func.value, named) & BLOCK_KIT_KEYS
                )
            ):
                found.add(node.lineno)
        for target in _assigned(node):
            if isinstance(target, ast.Subscript) and _keys_subscripted(target, named) & BLOCK_KIT_KEYS:
                found.add(target.lineno)
    return sorted(found)


def test_the_block_kit_check_sees_calls_and_edits_in_place() -> None:
    planted = """
block = dict(type="section", text=text)
view.update(type="home")
view["type"] = "modal"
view["blocks"][-1:-1] = more
view["blocks"].append(divider())
view["blocks"] = blocks
block.setdefault("type", "divider")
view["blocks"][0]["text"] = plain_text("Call")
del view["blocks"][2]
"""
    assert block_kit_by_hand_in(ast.parse(planted)) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    innocent = """
kind = view.get("type") == "modal"
options = dict(text=plain_text("Call"), value="x")
values["number"] = text
state["values"][block]["x"] = 1
rows.append(section("x"))
rows[-1:-1] = more
blocks = [*view["blocks"], divider()]
"""
    assert block_kit_by_hand_in(ast.parse(innocent)) == []


def test_the_block_kit_check_sees_named_keys_and_pairs() -> None:
    planted = """
TYPE = "type"
BLOCKS: Final = "blocks"
picker = {TYPE: "radio_buttons", "options": options}
block = dict([("type", "divider")])
view.update(((TYPE, "home"),))
view[TYPE] = "modal"
view[BLOCKS].append(divider())
"""
    assert block_kit_by_hand_in(ast.parse(planted)) == [4, 5, 6, 7, 8]
    innocent = """
KIND = "kind"
picked = {KIND: "radio_buttons"}
options = dict([("text", text), ("value", "x")])
values[KIND] = text
"""
    assert block_kit_by_hand_in(ast.parse(innocent)) == []


def test_planted_block_kit_by_hand_is_caught(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "handlers" / "transfer" / "planted.py").write_text(
        "def picker(options):\n    return dict(type='radio_buttons', options=options)\n\n"
        "def more(view, extra):\n    view['blocks'][-1:-1] = extra\n    return view\n"
    )
    assert features_writing_block_kit(root) == {"handlers.transfer.planted": [2, 5]}


# --- Whom a background failure is told -------------------------------------------------------
# Every start of background work, features and fronts alike, says whom its failure is told:
# `tell=` a reply, or `tell=Nobody(reason)` for work nobody asked for (bot.tasks).
TASK_RUNNER = "bot.tasks"


def spawns_telling_nobody_in(tree: ast.AST) -> list[int]:
    """Lines calling `….spawn(…)` without `tell=`, or with `tell=None`."""
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "spawn"
        ):
            continue
        tell = next((k.value for k in node.keywords if k.arg == "tell"), None)
        if tell is None or (isinstance(tell, ast.Constant) and tell.value is None):
            found.append(node.lineno)
    return found


def spawning_without_saying_whom_to_tell(root: Path = ROOT) -> dict[str, list[int]]:
    """Modules under bot/ and handlers/ starting background work without saying whom its
    failure is told."""
    spawning = {
        name: spawns_telling_nobody_in(parsed(path))
        for name, path in modules(root).items()
        if name != TASK_RUNNER
    }
    return {k: v for k, v in spawning.items() if v}


def spawn_may_leave_out_whom_to_tell(root: Path = ROOT) -> bool:
    """Whether `TaskRunner.spawn` has a default for `tell` (or no `tell` at all)."""
    tree = ast.parse(modules(root)[TASK_RUNNER].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name == "spawn":
            for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
                if arg.arg == "tell":
                    return default is not None
    return True


def test_background_work_always_says_whom_a_failure_is_told() -> None:
    assert spawning_without_saying_whom_to_tell() == {}
    assert not spawn_may_leave_out_whom_to_tell()


def test_planted_silent_spawns_are_caught(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "bot" / "web" / "planted.py").write_text(
        "def later(runtime, work):\n"
        "    runtime.tasks.spawn(work)\n"
        "    runtime.tasks.spawn(work, tell=None)\n"
        "    runtime.tasks.spawn(work, tell=Nobody('a webhook: nobody asked'))\n"
    )
    tasks = root / "bot" / "tasks.py"
    tasks.write_text(tasks.read_text().replace("*, tell: Tell)", "*, tell: Tell | None = None)"))
    assert spawning_without_saying_whom_to_tell(root) == {"bot.web.planted": [2, 3]}
    assert spawn_may_leave_out_whom_to_tell(root)
