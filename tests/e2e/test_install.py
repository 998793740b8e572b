"""A stranger's copy: a checkout with nothing beside it, and the wheel in a clean virtualenv.

docs/contract.md "A stranger can clone, install and operate it": the checkout's tests read
only what the checkout holds (PostgreSQL included: none answers here, so the suite starts its
own), and `pip install` of the built wheel, outside the tree, gives a `switchboard` whose
`db upgrade`, `manifest`, `shell` and `serve` run from the installed package alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.devkit.shell.standin import SlackStandIn
from tests.helpers.canaries import CANARIES
from tests.helpers.checkout import ROOT, checkout_files
from tests.helpers.serve import free_port, healthy, start_serve


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "SWITCHBOARD_", "RINGCENTRAL_", "VOIPNOW_", "SMSPARTNER_"))
        and key not in {"PYTHONPATH", "DATABASE_URL", "VIRTUAL_ENV"}
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree copied into an empty folder: nothing sits beside it."""
    copy = tmp_path_factory.mktemp("fresh") / "switchboard"
    for name in checkout_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    return copy


def test_the_checkout_needs_nothing_beside_it(checkout: Path) -> None:
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/test"  # nothing answers there
    chosen = [
        "tests/unit/test_standalone.py",
        "tests/unit/test_manifest.py",
        "tests/contract/test_ringcentral_contract.py",
        "tests/integration/test_store.py",
    ]
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            *chosen,
        ],
        cwd=checkout,
        env=_clean_env(SWITCHBOARD_TEST_POSTGRES=closed),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0, out[-4000:]
    assert " passed" in out
    assert "skipped" not in out  # the PostgreSQL half ran, on the suite's own server


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`switchboard` from the wheel, in a virtualenv of its own outside the tree."""
    place = tmp_path_factory.mktemp("install")
    wheels = place / "wheels"
    built = _pip("wheel", "--no-deps", "-q", "-w", str(wheels), str(checkout))
    assert built.returncode == 0, built.stderr[-3000:]
    venv = place / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    wheel = next(wheels.glob("switchboard_bot-*.whl"))
    done = _pip("--python", str(venv / "bin" / "python"), "install", "-q", "--no-compile", str(wheel))
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin" / "switchboard"


def _run(
    switchboard: Path, where: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(switchboard), *args],
        cwd=where,
        env=_clean_env(**env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wheel_runs_from_the_installed_package_alone(installed: Path, tmp_path: Path) -> None:
    where = tmp_path / "elsewhere"
    where.mkdir()
    python = installed.with_name("python")
    origin = subprocess.run(
        [str(python), "-c", "import bot, handlers; print(bot.__file__, handlers.__file__)"],
        cwd=where,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.parents[1]) in origin
    assert str(ROOT) not in origin

    database = f"sqlite:///{where}/switchboard.db"
    upgraded = _run(installed, where, "db", "upgrade", DATABASE_URL=database)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "database at revision" in upgraded.stdout

    manifest = _run(installed, where, "manifest", "--url", "https://bot.example.com")
    assert manifest.returncode == 0, manifest.stderr
    assert "https://bot.example.com/slack/events" in manifest.stdout

    shell = _run(
        installed,
        where,
        "shell",
        "--as",
        "alice@example.com",
        stdin="/switchboard whoami\n",
        DATABASE_URL=database,
    )
    assert shell.returncode == 0, shell.stderr
    assert "RingCentral extension `102`, Alice Martin" in shell.stdout
    assert "Traceback" not in shell.stdout + shell.stderr


async def test_the_installed_serve_answers_healthz(installed: Path, tmp_path: Path) -> None:
    slack = SlackStandIn()
    await slack.start()
    port = free_port()
    env = _clean_env(
        **CANARIES,
        RINGCENTRAL_SIGNIN_CLIENT_ID="signin-app",  # the canary secret's own id
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path}/serve.db",
        SWITCHBOARD_PROVIDERS="emulator",
    )
    process = start_serve(port, env, program=(str(installed),), cwd=tmp_path)
    try:
        async with healthy(port) as http:
            assert (await http.get("/readyz")).status_code == 200
            scraped = await http.get("/metrics")
            assert scraped.status_code == 200
            assert "switchboard_commands_total" in scraped.text
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
        await slack.stop()
    assert "Traceback" not in err
