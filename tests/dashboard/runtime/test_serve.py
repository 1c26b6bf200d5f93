"""`make serve`: workers behind nginx, sticky per browser, the websocket through the proxy."""

from __future__ import annotations

import asyncio
import shutil
import urllib.request
from pathlib import Path

import pytest

from dashboard import data
from dashboard.runtime.serve import nginx_config, serving
from geodata.loopback import free_port
from tests.streamlit_client import Session

pytestmark = pytest.mark.mirror


def get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        ours = next((c for c in cookies if c.startswith("armoede_worker=")), None)
        return response.headers["X-Armoede-Worker"], ours


def test_the_config_balances_by_cookie_and_passes_websockets(tmp_path):
    text = nginx_config(tmp_path, "127.0.0.1:8080", [8601, 8602])
    assert "hash $armoede_worker consistent;" in text
    assert "server 127.0.0.1:8601;" in text and "server 127.0.0.1:8602;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert str(tmp_path) in text and "/var/" not in text
    assert "location /app/static/" in text and "immutable" in text


def test_two_workers_keep_each_browser_on_one_and_run_the_app(built_store):
    assert shutil.which("nginx"), "Debian's nginx is needed; make test installs it"
    listen = f"127.0.0.1:{free_port()}"
    with serving(2, listen, free_port(), {"GEODATA_STORE": built_store.store}) as (url, workers):
        # each worker re-executed itself with few malloc arenas (memory per worker)
        for process in workers:
            environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
            assert b"MALLOC_ARENA_MAX=2" in environ
        worker, cookie = get(f"{url}/_stcore/health")
        assert cookie and cookie.startswith("armoede_worker=")
        jar = cookie.split(";")[0]
        assert {get(f"{url}/_stcore/health", jar)[0] for _ in range(6)} == {worker}
        others = {get(f"{url}/_stcore/health")[0] for _ in range(20)}
        assert len(others) == 2  # new browsers spread over both workers

        async def one_session() -> list[str]:
            session = Session(url, "kaart", cookie=jar)
            first = await session.open("indicator=population&year=2019")
            second = await session.rerun("indicator=population&year=2024&level=wijk")
            await session.close()
            assert first.finished and second.finished and not first.exceptions
            return [*first.headings, *second.headings]

        headings = asyncio.run(one_session())
        assert any(h.startswith("Inwoners · KWB 2019") for h in headings)
        assert any(h.startswith("Inwoners · KWB 2024") for h in headings)
        # plotly.js (written by the map page) comes compressed and cached for a year
        static = urllib.request.Request(
            f"{url}/{data.plotly_js_url()}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(static, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
