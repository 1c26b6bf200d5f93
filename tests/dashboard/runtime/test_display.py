"""Static display files: named per store version, older versions of the same store removed."""

from __future__ import annotations

from dashboard.runtime import display


def test_files_of_older_versions_of_the_same_store_go_and_others_stay(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "STATIC_DIR", tmp_path)
    old = display.display_name("/data/store.gpkg", "v1", 2019, "buurt")
    new = display.display_name("/data/store.gpkg", "v2", 2019, "buurt")
    other = display.display_name("/elsewhere/store.gpkg", "v1", 2019, "buurt")
    recolour_old = display.store_prefix("/data/store.gpkg", "v1") + "0123456789abcdef.json"
    for folder, name in [("geo", old), ("geo", new), ("geo", other), ("recolour", recolour_old)]:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text("{}")
    removed = display.remove_outdated("/data/store.gpkg", "v2")
    assert sorted(p.name for p in removed) == sorted([old, recolour_old])
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == sorted([new, other])


def test_names_differ_per_version_edition_and_level_and_start_with_the_store():
    names = {
        display.display_name("s", version, year, level)
        for version in ("v1", "v2")
        for year in (2019, 2020)
        for level in ("wijk", "buurt")
    }
    assert len(names) == 8
    assert display.display_name("s", "v1", 2019, "buurt").startswith(
        display.store_prefix("s", "v1")
    )


def test_nothing_to_remove_when_no_static_folder_exists(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "STATIC_DIR", tmp_path / "missing")
    assert display.remove_outdated("s", "v1") == []
