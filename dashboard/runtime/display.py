"""Display geometry, prepared once per store version: the map's GeoJSON files in `static/`.

Coverage simplification of a thousand buurten takes about a second; doing it on the first
visit made the first map slow. The files are named after the store's version, so they are
written once (by `python -m dashboard.runtime.prepare` after a build, or by the first visit that needs
one) and found ready afterwards, by every worker; a new build gets new names.

    python -m dashboard.runtime.prepare      # all editions and levels of the store in GEODATA_STORE
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from dashboard import geometry
from geodata.backends import open_store
from geodata.config import PROJECT_DIR, settings_from_env
from geodata.errors import GeodataError
from geodata.store import Store

STATIC_DIR = PROJECT_DIR / "static"  # served by Streamlit at /app/static (.streamlit/config.toml)
STATIC_URL = "app/static"
#: Bump when the display geometry changes (simplification, precision), to get new file names.
DISPLAY_VERSION = "2"


def store_prefix(target: str, version: str) -> str:
    """The start of every static file name of one store version: `<store>_<version>_`, so that
    `prepare` can tell the files of older versions of the same store apart and remove them."""
    store = hashlib.sha256(target.encode()).hexdigest()[:8]
    data = hashlib.sha256(f"{target}|{version}|{DISPLAY_VERSION}".encode()).hexdigest()[:12]
    return f"{store}_{data}_"


def display_name(target: str, version: str, year: int, level: str) -> str:
    """The file name of one edition and level of one store version."""
    return f"{store_prefix(target, version)}{year}_{level}.json"


def remove_outdated(target: str, version: str) -> list[Path]:
    """Remove the display and recolour files of earlier versions of the store at `target`
    (files of other stores are left alone: tests and workers may use several at once)."""
    current = store_prefix(target, version)
    store = current.split("_", 1)[0] + "_"
    removed = []
    for folder in (STATIC_DIR / "geo", STATIC_DIR / "recolour"):
        for path in folder.glob(f"{store}*.json") if folder.is_dir() else ():
            if not path.name.startswith(current):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


class StaticFilesError(GeodataError):
    """The app cannot write a static file (plotly.js, display geometry, colours) into its
    static folder: a read-only installation, a full disk."""

    def __init__(self, target: Path, cause: OSError) -> None:
        self.folder, self.cause = STATIC_DIR, cause.strerror or str(cause)
        super().__init__(
            f"cannot write {target}: {self.cause}. The app keeps plotly.js and the map's "
            f"geometry in {STATIC_DIR}; make that folder writable for the user running the app."
        )


def write_atomically(target: Path, body: bytes) -> None:
    """Write a static file so that a browser (or another worker) never sees half of it; a
    failed write leaves no temporary file and raises `StaticFilesError`."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(tmp, 0o644)  # readable by a web server that serves static/ itself
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise StaticFilesError(target, exc) from exc


def display_file(store: Store, target: str, year: int, level: str) -> Path:
    """The display GeoJSON of one edition and level, written if it is not there yet."""
    path = STATIC_DIR / "geo" / display_name(target, store.version(), year, level)
    if not path.exists():
        simple = geometry.simplify_coverage(store.areas(year=int(year), level=level))
        collection = geometry.to_feature_collection(simple)
        write_atomically(path, json.dumps(collection, separators=(",", ":")).encode())
    return path


def prepare(store: Store, target: str) -> list[Path]:
    """Every edition and level of the store, ready for the map (files of the store's earlier
    versions removed)."""
    remove_outdated(target, store.version())
    areas = store.areas(geometry=False)[["year", "level"]].drop_duplicates()
    return [display_file(store, target, int(y), str(lv)) for y, lv in areas.itertuples(index=False)]


def main() -> int:
    settings = settings_from_env()
    try:
        store = open_store(settings.store)
        store.require()
        paths = prepare(store, settings.store)
    except (GeodataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Display geometry ready: {len(paths)} editions and levels in {STATIC_DIR / 'geo'}.")
    return 0
