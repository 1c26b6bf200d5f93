"""The Plotly.js the app's own maps load: plotly.js's geo bundle when set up, else the full one.

The map pages draw their choropleths and the focus-count chart with a Plotly.js the app serves
itself (offline, no CDN). The full bundle in the plotly package is 4.8 MB, and evaluating it
kept a slow laptop's browser busy for ~600 ms before the first map could be drawn. plotly.js's
official geo bundle (npm package ``plotly.js-geo-dist-min``: scatter, scattergeo and choropleth,
everything these figures use) is 1.4 MB. ``make setup`` downloads it once from the npm registry
(``python -m dashboard.runtime.plotly_bundle``): the version the installed plotly package was
built for, checked against the registry's integrity hash and, for versions listed in `PINNED`,
against the hash recorded here. Without it (a set-up without internet) the full bundle is
served and everything works, only the first map is slower.

    python -m dashboard.runtime.plotly_bundle [--registry URL]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

from dashboard.runtime.display import STATIC_DIR, StaticFilesError, write_atomically

PACKAGE = "plotly.js-geo-dist-min"
MEMBER = "package/plotly-geo.min.js"
VENDOR_DIR = STATIC_DIR / "vendor"
REGISTRY = "https://registry.npmjs.org"
REGISTRY_ENV = "NPM_REGISTRY_URL"
#: npm integrity hashes of geo bundles checked by hand; other versions trust the registry's.
PINNED = {
    "4.1.1": "sha512-XPBno+FN2WGUTqtim/0UKmKqZ3kZ5ooAWqITWWGooqVWRd+cIZDh1Pv10N3848uQdgrrqyGratT00bREBPux3Q==",
}
MAX_BYTES = 20_000_000  # a tarball or metadata answer larger than this is refused

Get = Callable[[str], bytes]
_VERSION = re.compile(rb"plotly\.js(?: \([^)\n]*\))? v(\d+\.\d+\.\d+)")


class BundleError(Exception):
    """The geo bundle could not be fetched or checked; the message says why and what to do."""


def header_version(head: bytes) -> str | None:
    """The plotly.js version a bundle's licence header names (``/** * plotly.js v4.1.1``)."""
    found = _VERSION.search(head[:400])
    return found.group(1).decode() if found else None


def full_bundle() -> Path:
    """The full Plotly.js that ships with the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def version_of(path: Path) -> str | None:
    """The plotly.js version of a bundle file (None when it is missing or names none)."""
    try:
        with path.open("rb") as handle:
            return header_version(handle.read(400))
    except OSError:
        return None


def geo_bundle_path(version: str, vendor_dir: Path = VENDOR_DIR) -> Path:
    return vendor_dir / f"plotly-geo-{version}.min.js"


def served_bundle(vendor_dir: Path = VENDOR_DIR, full: Path | None = None) -> Path:
    """The bundle to serve: the geo bundle of exactly the full bundle's version when it has
    been set up, else the full bundle (figures are written for that version)."""
    full = full or full_bundle()
    version = version_of(full)
    if version is not None:
        geo = geo_bundle_path(version, vendor_dir)
        if version_of(geo) == version:
            return geo
    return full


def check_integrity(body: bytes, integrity: str) -> None:
    """Raise `BundleError` unless `body` has npm's ``sha512-<base64>`` integrity."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise BundleError(f"unsupported integrity {integrity!r} (expected sha512-…)")
    actual = base64.b64encode(hashlib.sha512(body).digest()).decode()
    if actual != expected:
        raise BundleError(
            f"the tarball's sha512 is {actual[:16]}…, not {expected[:16]}… as published: "
            "a damaged download or a changed package; try again, or check the registry"
        )


def extract_bundle(tarball: bytes, version: str) -> bytes:
    """The geo bundle's file from the package tarball, checked to be the wanted version."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            body = member.read(MAX_BYTES) if member is not None else b""
    except (tarfile.TarError, KeyError, OSError, EOFError) as exc:
        raise BundleError(f"the package tarball has no readable {MEMBER} ({exc})") from exc
    found = header_version(body)
    if found != version:
        raise BundleError(f"{MEMBER} names plotly.js {found or 'no version'}, not {version}")
    return body


def tarball_of(version: str, registry: str, get: Get) -> tuple[str, str]:
    """The tarball URL and integrity the registry publishes for `version` of the geo bundle."""
    url = f"{registry.rstrip('/')}/{PACKAGE}/{version}"
    try:
        dist = json.loads(get(url))["dist"]
        tarball, integrity = str(dist["tarball"]), str(dist["integrity"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"{url} did not answer with npm package metadata ({exc})") from exc
    pinned = PINNED.get(version)
    if pinned is not None and pinned != integrity:
        raise BundleError(f"{url} publishes integrity {integrity}, not the pinned {pinned}")
    return tarball, integrity


def fetch_geo_bundle(version: str, vendor_dir: Path, registry: str, get: Get) -> Path:
    """Download, check and store the geo bundle of `version` (nothing when already there)."""
    target = geo_bundle_path(version, vendor_dir)
    if version_of(target) == version:
        return target
    url, integrity = tarball_of(version, registry, get)
    tarball = get(url)
    check_integrity(tarball, integrity)
    write_atomically(target, extract_bundle(tarball, version))
    return target


def http_get(url: str) -> bytes:
    """The body of a GET of `url` (at most `MAX_BYTES`); `BundleError` when it fails."""
    if not url.startswith(("https://", "http://")):
        raise BundleError(f"{url!r} is not an http(s) URL; set {REGISTRY_ENV} to the registry")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BundleError(f"{url} could not be read ({exc})") from exc
    if len(body) > MAX_BYTES:
        raise BundleError(f"{url} answered with more than {MAX_BYTES:,} bytes")
    return body


def main(argv: list[str] | None = None, get: Get = http_get) -> int:
    """Set up the geo bundle; a failure is a warning (exit 0): the full bundle still works."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", default=os.environ.get(REGISTRY_ENV, REGISTRY))
    args = parser.parse_args(argv)
    version = version_of(full_bundle())
    if version is None:
        print("Plotly.js geo bundle: the plotly package's bundle names no version; serving it.")
        return 0
    try:
        path = fetch_geo_bundle(version, VENDOR_DIR, args.registry, get)
    except (BundleError, StaticFilesError) as exc:
        print(
            f"Plotly.js geo bundle {version} not set up: {exc}. The app serves the full bundle "
            "(4.8 MB) instead; run `make setup` again with internet for a faster first map."
        )
        return 0
    print(f"Plotly.js geo bundle {version} ready: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
