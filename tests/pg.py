"""A throwaway PostgreSQL/PostGIS cluster for tests and benchmarks.

`start_cluster` runs Debian's PostgreSQL 15 from /usr/lib/postgresql/15/bin in a temporary
folder on a free loopback port (as the `postgres` user when we are root: initdb refuses
root), creates a database with the PostGIS extension and returns its URL. `Cluster.stop`
stops it and removes the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geodata.loopback import free_port

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "armoede"


def available() -> bool:
    return (BIN / "initdb").exists() and Path(
        "/usr/share/postgresql/15/extension/postgis.control"
    ).exists()


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    command = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@dataclass
class Cluster:
    folder: Path
    port: int

    def url(self, schema: str = "armoede") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}?schema={schema}"

    @property
    def ogr(self) -> str:
        """The GDAL/OGR connection string of the database (as QGIS opens it)."""
        return f"PG:host=127.0.0.1 port={self.port} dbname={DATABASE} user=postgres"

    def psql(self, statement: str, database: str = DATABASE) -> str:
        result = _as_postgres(
            [
                str(BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-c",
                statement,
            ]
        )
        return result.stdout.strip()

    def stop(self) -> None:
        subprocess.run(
            (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
            + [str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="armoede-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    _as_postgres(
        [
            str(BIN / "initdb"),
            "-D",
            str(folder / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ]
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    )
    _as_postgres(
        [
            str(BIN / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-o",
            options,
            "-w",
            "-l",
            str(folder / "log"),
            "start",
        ]
    )
    cluster = Cluster(folder, port)
    cluster.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
    cluster.psql("CREATE EXTENSION postgis")
    return cluster
