"""Serve the app to many users: N `streamlit run` workers behind nginx, sticky per browser.

``make serve WORKERS=4 PORT=8080`` (or ``python -m dashboard.runtime.serve --workers 4 --port 8080``)
starts four app processes on loopback and Debian's nginx in front of them. A Streamlit
session lives in one process, so nginx keeps each browser on one worker: the first response
sets a cookie (``armoede_worker``) and nginx hashes it to a worker for every later request,
the websocket included. All workers read the one store in ``GEODATA_STORE`` (a GeoPackage, or
PostGIS for a team server). Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geodata.config import PROJECT_DIR

# Plotly.js, display geometry and recolour files: their names change with their content
# (plotly version, store version), so browsers may keep them for a year.
_STATIC_LOCATION = """        location /app/static/ {
            proxy_pass http://streamlit;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_hide_header Cache-Control;
            add_header Cache-Control "public, max-age=31536000, immutable" always;
        }
"""


def nginx_config(folder: Path, listen: str, workers: list[int]) -> str:
    """An nginx configuration that runs from `folder` (no root paths) and balances `workers`."""
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in workers)
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # A browser without the cookie gets a random key; the cookie keeps it on its worker.
    map $cookie_armoede_worker $armoede_worker {{ "" $request_id; default $cookie_armoede_worker; }}
    upstream streamlit {{
        hash $armoede_worker consistent;
{servers}
    }}
    server {{
        listen {listen};
        client_max_body_size 50m;
{_STATIC_LOCATION}        location / {{
            proxy_pass http://streamlit;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 86400s;
            proxy_buffering off;
            add_header Set-Cookie "armoede_worker=$armoede_worker; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-Armoede-Worker $upstream_addr always;
        }}
    }}
}}
"""


def start_worker(
    port: int, env: dict[str, str], script: Path | None = None
) -> subprocess.Popen[bytes]:
    """One `streamlit run` of the app (or of another `script`) on the loopback `port`, in a
    process that loads the heavy libraries before its first visitor (`dashboard.runtime.worker`)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard.runtime.worker",
            "run",
            str(script or PROJECT_DIR / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{url} exited at start: {error.strip()[-500:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def serving(
    workers: int, listen: str, base_port: int, env: dict[str, str] | None = None
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """Run `workers` app processes and nginx; yields (the public URL, the worker processes)."""
    env = {**os.environ, **(env or {})}
    ports = [base_port + i for i in range(workers)]
    processes = [start_worker(port, env) for port in ports]
    folder = Path(tempfile.mkdtemp(prefix="armoede-nginx-"))
    nginx = None
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", process)
        (folder / "nginx.conf").write_text(nginx_config(folder, listen, ports), encoding="utf-8")
        nginx = subprocess.Popen(
            ["nginx", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"], stderr=subprocess.PIPE
        )
        host, _, public_port = listen.rpartition(":")
        host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        url = f"http://{host}:{public_port}"
        wait_healthy(url, nginx)
        yield url, processes
    finally:
        for process in [*processes, *([nginx] if nginx else [])]:
            process.terminate()
        for process in [*processes, *([nginx] if nginx else [])]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.runtime.serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--workers", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the public port (default 8080)")
    parser.add_argument("--host", default="0.0.0.0", help="the address nginx listens on")
    parser.add_argument("--base-port", type=int, default=8601, help="first worker port")
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= 64:
        parser.error(f"--workers {args.workers}: give 1 to 64")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with serving(args.workers, f"{args.host}:{args.port}", args.base_port) as (url, _):
        print(f"Serving {args.workers} workers at {url} (Ctrl-C stops)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopping.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
