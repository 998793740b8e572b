"""docs/adding-a-provider.md, done: a provider added in a copy of the tree touches its own
package and one line of the registry, and the settings read its variables, the registry builds
it, the help types its lines, and the architecture test passes on that tree as it is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = "tests/unit/test_architecture.py"
QUIET = ("-p", "no:randomly", "-p", "no:xdist")
PLUGINS_LIST = re.compile(r"^(PLUGINS: tuple\[AnyPlugin, \.\.\.\] = \()(.*)\)$", re.M)

ACME = {
    "__init__.py": '"""Acme: a provider with no capability yet, its lines typed `acme:<seat>`."""\n',
    "declaration.py": """
        from bot.domain.capabilities import Declaration
        from bot.domain.lines import ProviderName

        ACME = ProviderName.declare("acme", "Acme")
        DECLARATION = Declaration(name=ACME, capabilities=frozenset())
    """,
    "settings.py": """
        from typing import ClassVar

        from pydantic import SecretStr

        from bot.providers.settings import ProviderSettings


        class AcmeSettings(ProviderSettings):
            REQUIRED: ClassVar[tuple[str, ...]] = ("acme_url", "acme_token")
            SECRETS: ClassVar[tuple[str, ...]] = ("acme_token",)

            acme_url: str | None = None
            acme_token: SecretStr | None = None
    """,
    "specs.py": """
        from bot.domain.notices import Verbatim, message
        from bot.providers.acme.declaration import ACME
        from bot.providers.specs import SpecContext, Usage, admin_link
        from bot.store.links import LinkRecord

        SEAT = Verbatim("acme:<seat>")


        class AcmeSpec:
            usage = Usage(link=message("an Acme seat (", SEAT, ")"), prefixed=message(SEAT))

            async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
                return admin_link(slack_user_id, ACME, value, value, f"Acme {value}")

            async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
                return None

            def extension_digits(self, typed: str) -> str | None:
                return None  # a seat is no extension
    """,
    "plugin.py": """
        from bot.providers.acme.declaration import ACME, DECLARATION
        from bot.providers.acme.settings import AcmeSettings
        from bot.providers.acme.specs import AcmeSpec
        from bot.providers.base import Adapter
        from bot.providers.plugin import Kit, Plugin


        class AcmeClient:
            provider = ACME

            def __init__(self, http: object) -> None:
                self.http = http

            async def probe(self) -> None:
                return None


        def build(settings: AcmeSettings, kit: Kit) -> Adapter:
            url: str = settings.required("acme_url")
            return Adapter(DECLARATION, AcmeClient(kit.http(url, limits={}, retry_after=30.0)))


        PLUGIN = Plugin(DECLARATION, AcmeSpec(), AcmeSettings, build)
    """,
}

CHECKS = """
    import asyncio

    from bot.domain.notices import plain
    from bot.providers.acme.declaration import ACME
    from bot.providers.registry import KNOWN_SPECS, build_providers
    from bot.settings import ConfigError, load_settings
    from bot.store import Database

    given = {"_env_file": None, "acme_url": "https://acme.example", "acme_token": "acme-token-42"}
    settings = load_settings(**given)
    assert settings.providers == (ACME,), settings.providers
    assert "acme-token-42" in settings.secret_values()
    assert settings.provider_words == ("acme",)
    try:
        load_settings(_env_file=None, acme_url="https://acme.example")
    except ConfigError as exc:
        assert str(exc).startswith("ACME_TOKEN is required: ACME_URL is set, so acme is used"), exc
    else:
        raise AssertionError("half of Acme's credentials were taken")
    try:
        load_settings(_env_file=None, switchboard_providers="acme")
    except ConfigError as exc:
        assert str(exc) == "ACME_URL is required when acme is used", exc
    assert "an Acme seat (acme:<seat>)" in plain(KNOWN_SPECS.typing([ACME]).link_usage)


    async def built() -> None:
        providers = build_providers(settings, Database("sqlite+aiosqlite://"))
        assert list(providers.adapters) == [ACME]
        assert [p.provider for p in providers.probes] == [ACME]  # /readyz asks it
        await providers.aclose()


    async def emulated_without_its_emulator() -> None:
        try:
            build_providers(load_settings(_env_file=None, switchboard_providers="emulator"), Database("sqlite+aiosqlite://"))
        except ConfigError as exc:  # until bot/devkit starts its emulator (step 5)
            assert str(exc).startswith("Acme has no built-in emulator yet"), exc
        else:
            raise AssertionError("emulated without an emulator")


    asyncio.run(built())
    asyncio.run(emulated_without_its_emulator())
    print("acme plugged in")
"""


def _plant_acme(root: Path) -> None:
    for folder in ("bot", "handlers"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    package = root / "bot" / "providers" / "acme"
    package.mkdir()
    for name, source in ACME.items():
        (package / name).write_text("from __future__ import annotations\n\n" + textwrap.dedent(source))
    registry = root / "bot" / "providers" / "registry.py"
    text = registry.read_text()
    assert PLUGINS_LIST.search(text)  # the one line a new provider adds to
    text = PLUGINS_LIST.sub(r"\1\2, ACME)", text)
    text = text.replace(
        "from bot.providers.base import",
        "from bot.providers.acme.plugin import PLUGIN as ACME\nfrom bot.providers.base import",
    )
    registry.write_text(text)
    tests = root / "tests" / "unit"
    tests.mkdir(parents=True)
    for init in (root / "tests" / "__init__.py", tests / "__init__.py"):
        init.write_text("")
    shutil.copy(ROOT / "tests" / "unit" / "test_architecture.py", tests)


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Python on the copy of the tree (it comes first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_a_provider_added_in_its_own_package_and_one_registry_line(tmp_path: Path) -> None:
    _plant_acme(tmp_path)
    run = _run(tmp_path, "-c", textwrap.dedent(CHECKS))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "acme plugged in" in run.stdout
    rules = _run(tmp_path, "-m", "pytest", "-q", "-p", "no:cacheprovider", *QUIET, ARCHITECTURE)
    assert rules.returncode == 0, rules.stdout[-3000:]
    assert " passed" in rules.stdout
