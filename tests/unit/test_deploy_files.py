"""The deployment files say what tests/e2e/test_install.py does, and name every setting.

Images can't be built where the suite runs, so the Dockerfile and compose.yaml are read:
the image installs the wheel as the install test does, runs unprivileged and checks
/healthz; compose runs PostgreSQL, one `db upgrade` and two `serve` instances after it;
`.env.example` lists every variable and loads as it is; docs/deploy.md covers what an
operator needs (docs/contract.md "A stranger can clone, install and operate it").
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.providers.registry import PLUGINS
from bot.settings import Settings, load_settings
from tests.helpers.checkout import ROOT

# Named by docs/contract.md; added to the settings by their own features.
CONTRACT_VARIABLES = {
    "SWITCHBOARD_METRICS_TOKEN",
    "SWITCHBOARD_PERSON_SHARE",
}


def test_the_image_installs_the_wheel_as_the_install_test_does() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    install_test = (ROOT / "tests" / "e2e" / "test_install.py").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2  # multi-stage
    for step in ('"wheel", "--no-deps"', '"install", "-q", "--no-compile"'):
        assert step in install_test
    assert "pip wheel --no-deps" in dockerfile
    assert re.search(r"python -m venv /opt/switchboard\b", dockerfile)
    assert re.search(r"pip install .*/wheels/switchboard_bot-\*\.whl", dockerfile)
    # The image compiles what it installs: with its PYTHONDONTWRITEBYTECODE, a start would
    # otherwise compile every module from source (seconds before /healthz). The install
    # test skips compiling to stay quick; nothing else differs.
    assert "--no-compile" not in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users
    assert users[-1] not in {"root", "0"}
    healthcheck = dockerfile[dockerfile.index("HEALTHCHECK") :].split("\nCMD")[0]
    assert "/healthz" in healthcheck
    assert dockerfile.rstrip().endswith('CMD ["switchboard", "serve"]')


def test_compose_runs_postgres_one_upgrade_and_two_instances() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    commands = {name: service.get("command") for name, service in services.items()}
    upgrades = [
        name for name, command in commands.items() if command == ["switchboard", "db", "upgrade"]
    ]
    serves = [name for name, command in commands.items() if command == ["switchboard", "serve"]]
    assert len(upgrades) == 1
    assert len(serves) == 2
    (migrate,) = upgrades
    assert services[migrate]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in serves:
        assert services[name]["depends_on"][migrate]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert services[name]["build"] == "."


def test_env_example_names_every_variable_and_loads_as_it_is() -> None:
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    providers = {name.upper() for plugin in PLUGINS for name in plugin.settings.model_fields}
    assert "RINGCENTRAL_SIGNIN_CLIENT_ID" in providers  # each provider's section, read as its own
    missing = ({name.upper() for name in Settings.model_fields} | providers | CONTRACT_VARIABLES) - named
    assert missing == set()
    settings = load_settings(_env_file=str(ROOT / ".env.example"))
    assert settings.provider_words == ("emulator",)  # nothing filled in yet


def test_the_deployment_guide_covers_what_an_operator_needs() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for path in (
        "/slack/events",
        "/ringcentral/webhook",
        "/ringcentral/oauth/callback",
        "/ringcentral/oauth/start",
        "/calendar/",  # the on-call calendar feeds, fetched by people's calendar apps
    ):
        assert f"`{path}`" in guide
    caddy = next(line for line in guide.splitlines() if "@public path" in line)
    nginx = guide[guide.index("upstream switchboard") :].split("```")[0]
    for path in ("/slack/events", "/ringcentral/oauth/callback", "/calendar/"):
        assert path in caddy
        assert path.strip("/") in nginx
    for topic in (
        "## The HTTPS proxy",
        "## Several instances",
        "## Upgrades",
        "## Backups",
        "## Rotating SWITCHBOARD_SECRET_KEY",
        "### Finding Slack user ids for SWITCHBOARD_ADMINS",
    ):
        assert topic in guide
    assert Path(ROOT / "compose.yaml").is_file()
    assert "switchboard db upgrade" in guide
