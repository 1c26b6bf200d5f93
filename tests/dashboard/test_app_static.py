"""The app's static files (plotly.js, display geometry, colours): a folder it cannot write
gets a clear message instead of a traceback, and a failed write leaves nothing behind."""

from __future__ import annotations

import pytest

from dashboard import data
from dashboard.runtime import display
from dashboard.runtime.display import StaticFilesError, write_atomically
from tests.dashboard.conftest import ok


@pytest.fixture
def unwritable_static(tmp_path, monkeypatch):
    """A static folder that cannot be created (its parent is a file; root can't either)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    folder = blocker / "static"
    monkeypatch.setattr(display, "STATIC_DIR", folder)
    writers = (data.plotly_js_url, data.geojson_url, data.topojson_url, data.ensure_recolour)
    for cached in writers:  # earlier tests' URLs must not hide the folder
        cached.clear()
    yield folder
    for cached in writers:
        cached.clear()


def test_a_failed_write_names_the_folder_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "STATIC_DIR", tmp_path)
    target = tmp_path / "geo" / "x.json"
    target.parent.mkdir()
    monkeypatch.setattr(display.os, "replace", _fail_replace)  # the disk fills up
    with pytest.raises(StaticFilesError, match=str(tmp_path)):
        write_atomically(target, b"{}")
    assert list(target.parent.iterdir()) == []


def _fail_replace(source, target):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "kan haar bestanden niet schrijven"), ("en", "cannot write its files")],
)
def test_the_map_page_says_which_folder_it_cannot_write(app, unwritable_static, lang, words):
    app.query_params["lang"] = lang
    ok(app.run())
    (message,) = [e.value for e in app.error]
    assert words in message and str(unwritable_static) in message
    assert "Not a directory" in message
