"""Shared fixtures: hand-written wire-format fixtures, a stub HTTP server, and the mirror.

Tests that need the mirror (../shared/mirror) start it themselves on a free port and stop it
afterwards. Outside CI they skip with the reason when the mirror is absent; in CI (CI=true)
a missing mirror is an error, because a skipped test there is a failing test.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geodata.config import PROJECT_DIR, Settings
from pipelines import mirror as mirror_mod

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str):
    return json.loads(fixture_bytes(name))


# -- the fast lane ---------------------------------------------------------------------------

#: Fixtures that start the mirror, a PostgreSQL cluster, or build a store from the mirror (the
#: app tests and the browser tests depend on those): a test that uses one, directly or through
#: another fixture, is slow. The lane is chosen by what a test uses, so no file can forget a
#: marker: ``make test-fast`` runs ``pytest -m "not slow"``.
SLOW_FIXTURES = frozenset({"mirror", "built_store", "built_postgis", "pg_cluster"})
#: Parameters of fixtures that reach a slow service at run time (`any_store`'s PostGIS).
SLOW_PARAMS = frozenset({"postgis"})


def is_slow(item: pytest.Item) -> bool:
    """Whether a collected test needs the mirror, PostgreSQL or a browser."""
    used = set(getattr(item, "fixturenames", ()))
    params = getattr(getattr(item, "callspec", None), "params", {})
    return bool(used & SLOW_FIXTURES) or any(
        isinstance(v, str) and v in SLOW_PARAMS for v in params.values()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


# -- stub HTTP server ------------------------------------------------------------------------


class StubServer:
    """A loopback HTTP server answering from a script of responses per path.

    `routes[path]` is a list of (status, body, mode) answered in turn (the last one repeats).
    mode "truncate" sends the full Content-Length but only half the body, then closes.
    """

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, bytes, str]]] = {}
        self.hits: dict[str, int] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                count = stub.hits.get(path, 0)
                stub.hits[path] = count + 1
                script = stub.routes.get(path) or [(404, b"not found", "")]
                status, body, mode = script[min(count, len(script) - 1)]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "truncate":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                else:
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    stub = StubServer()
    stub.thread.start()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


# -- the mirror ------------------------------------------------------------------------------


def mirror_dir() -> Path:
    return Path(os.environ.get("MIRROR_DIR") or PROJECT_DIR.parent / "shared" / "mirror")


def require_mirror() -> Path:
    path = mirror_dir()
    if mirror_mod.mirror_available(path):
        return path
    reason = f"needs the local mirror at {path} (serve.py not found); set MIRROR_DIR or clone next to ../shared"
    if os.environ.get("CI"):
        pytest.fail(f"In CI the mirror must be present: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mirror() -> Iterator[mirror_mod.Mirror]:
    """The mirror, as it is, on a free port for the whole test session.

    ``MIRROR_FAULTS`` adds fault options for a whole-suite run, e.g. ``--fail-rate 0.2``.
    """
    faults = os.environ.get("MIRROR_FAULTS", "").split()
    running = mirror_mod.start_mirror(require_mirror(), *faults)
    yield running
    running.stop()


def mirror_settings(mirror: mirror_mod.Mirror, tmp: Path, cache: Path | None = None) -> Settings:
    base = Settings(store=str(tmp / "store.gpkg"), cache_dir=cache or tmp / "cache")
    return replace(mirror.settings(base))


@pytest.fixture(scope="session")
def built_store(mirror, tmp_path_factory) -> Settings:
    """A store built once from the mirror (all sources, all years), shared read-only by tests."""
    from pipelines.build import build

    tmp = tmp_path_factory.mktemp("built")
    settings = mirror_settings(mirror, tmp)
    build(settings, log=lambda _: None)
    return settings


# -- PostgreSQL/PostGIS ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostGIS cluster for the whole session (Debian's postgresql-15-postgis-3).

    `make test` installs it when missing. Outside CI its absence skips with the reason; in CI
    it is an error, because a skipped test there is a failing test.
    """
    from tests import pg

    if not pg.available():
        reason = "needs Debian's postgresql-15-postgis-3 (make test installs it)"
        if os.environ.get("CI"):
            pytest.fail(f"In CI PostGIS must be present: {reason}")
        pytest.skip(reason)
    cluster = pg.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def built_postgis(built_store, pg_cluster):
    """The mirror's data built into PostGIS from the session's cache (no new requests)."""
    from pipelines.build import build

    settings = replace(built_store, store=pg_cluster.url(schema="built"))
    build(settings, log=lambda _: None)
    return settings
