"""The geo bundle: fetched from a registry (here a dict of URLs), checked, chosen only when its
version equals the full bundle's, and its absence never breaks anything."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from dashboard.runtime import plotly_bundle as pb

REGISTRY = "https://registry.example.test"


def bundle_text(version: str, flavour: str = " (geo - minified)") -> bytes:
    return f"/**\n* plotly.js{flavour} v{version}\n* Copyright\n*/\nwindow.Plotly={{}};\n".encode()


def tarball(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return out.getvalue()


def integrity(body: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()


def registry(version: str, tar: bytes, published: str | None = None) -> dict[str, bytes]:
    """The two answers of an npm registry: the version's metadata and its tarball."""
    url = f"{REGISTRY}/{pb.PACKAGE}/-/{pb.PACKAGE}-{version}.tgz"
    meta = {"name": pb.PACKAGE, "version": version}
    meta["dist"] = {"tarball": url, "integrity": published or integrity(tar)}  # type: ignore[assignment]
    return {f"{REGISTRY}/{pb.PACKAGE}/{version}": json.dumps(meta).encode(), url: tar}


def getter(answers: dict[str, bytes]) -> pb.Get:
    def get(url: str) -> bytes:
        if url not in answers:
            raise pb.BundleError(f"{url} could not be read (404)")
        return answers[url]

    return get


def test_header_versions_of_the_full_and_the_geo_bundle() -> None:
    assert pb.header_version(bundle_text("4.1.1", "")) == "4.1.1"
    assert pb.header_version(bundle_text("4.1.1")) == "4.1.1"
    assert pb.header_version(b"/* not plotly */") is None


def test_the_installed_full_bundle_names_its_version() -> None:
    assert pb.version_of(pb.full_bundle()) is not None


def test_fetched_checked_and_stored(tmp_path: Path) -> None:
    tar = tarball({pb.MEMBER: bundle_text("9.8.7"), "package/README.md": b"readme"})
    path = pb.fetch_geo_bundle("9.8.7", tmp_path, REGISTRY, getter(registry("9.8.7", tar)))
    assert path == tmp_path / "plotly-geo-9.8.7.min.js"
    assert path.read_bytes() == bundle_text("9.8.7")


def test_already_there_asks_nothing(tmp_path: Path) -> None:
    pb.geo_bundle_path("9.8.7", tmp_path).write_bytes(bundle_text("9.8.7"))
    assert pb.fetch_geo_bundle("9.8.7", tmp_path, REGISTRY, getter({})).exists()


def test_a_damaged_download_is_refused_and_nothing_written(tmp_path: Path) -> None:
    tar = tarball({pb.MEMBER: bundle_text("9.8.7")})
    answers = registry("9.8.7", tar, published=integrity(b"something else"))
    with pytest.raises(pb.BundleError, match="sha512"):
        pb.fetch_geo_bundle("9.8.7", tmp_path, REGISTRY, getter(answers))
    assert list(tmp_path.iterdir()) == []


def test_a_pinned_version_must_carry_the_pinned_hash(tmp_path: Path) -> None:
    version = next(iter(pb.PINNED))
    tar = tarball({pb.MEMBER: bundle_text(version)})
    with pytest.raises(pb.BundleError, match="pinned"):
        pb.fetch_geo_bundle(version, tmp_path, REGISTRY, getter(registry(version, tar)))


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"package/other.js": b"x"}, "no readable"),
        ({pb.MEMBER: bundle_text("1.0.0")}, "names plotly.js 1.0.0, not 9.8.7"),
    ],
)
def test_a_tarball_without_the_right_bundle_is_refused(
    tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    answers = registry("9.8.7", tarball(members))
    with pytest.raises(pb.BundleError, match=message):
        pb.fetch_geo_bundle("9.8.7", tmp_path, REGISTRY, getter(answers))


def test_metadata_that_is_not_npm_metadata_is_refused(tmp_path: Path) -> None:
    answers = {f"{REGISTRY}/{pb.PACKAGE}/9.8.7": b"<html>proxy login</html>"}
    with pytest.raises(pb.BundleError, match="npm package metadata"):
        pb.fetch_geo_bundle("9.8.7", tmp_path, REGISTRY, getter(answers))


def test_only_http_urls_are_read() -> None:
    with pytest.raises(pb.BundleError, match="not an http"):
        pb.http_get("file:///etc/passwd")


def test_the_geo_bundle_is_served_only_at_the_full_bundles_version(tmp_path: Path) -> None:
    full = tmp_path / "plotly.min.js"
    full.write_bytes(bundle_text("4.1.1", ""))
    vendor = tmp_path / "vendor"
    assert pb.served_bundle(vendor, full) == full  # not set up: the full bundle
    vendor.mkdir()
    pb.geo_bundle_path("4.1.0", vendor).write_bytes(bundle_text("4.1.0"))
    assert pb.served_bundle(vendor, full) == full  # another version: the full bundle
    pb.geo_bundle_path("4.1.1", vendor).write_bytes(bundle_text("4.1.1"))
    assert pb.served_bundle(vendor, full) == pb.geo_bundle_path("4.1.1", vendor)


def test_setup_without_internet_warns_and_succeeds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pb, "VENDOR_DIR", tmp_path)
    assert pb.main(["--registry", REGISTRY], get=getter({})) == 0
    out = capsys.readouterr().out
    assert "not set up" in out and "404" in out and "full bundle" in out
    assert list(tmp_path.iterdir()) == []
