"""Every table on every page, in both languages: text only (formatted in the page's language),
headers and words in that language, and a dash where a value is missing, never "None".

Tables are drawn on a canvas in the browser, so the browser language test cannot read them;
AppTest hands over the very frames Streamlit draws.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from dashboard.routes import PAGES
from tests.dashboard.conftest import ok
from tests.dashboard.language import foreign_words, foreign_words_in

SHOWN = {
    "kaart": {},
    "buurtprofiel": {"area": "BU03630000"},
    "verhuisstromen": {},
    "suburbanisatie": {},
    "exporteren": {},
    "over": {},
}
#: Expanders whose tables are sent only while open.
OPENED = {"kaart": {"k_table_open": True}}
NOT_A_VALUE = {"None", "nan", "NaN", "<NA>", "NaT", "null"}
ENGLISH_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")
DUTCH_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")


def shown_tables(app, page: str, lang: str, params: dict[str, str]):
    app.run()
    app.switch_page(PAGES[page].file)
    app.query_params.clear()
    app.query_params.update({"lang": lang, **params})
    ok(app.run())
    if page in OPENED:  # then open them, as a click does (a run of its own)
        for key, value in OPENED[page].items():
            app.session_state[key] = value
        ok(app.run())
    return [table.value for table in app.dataframe]


def table_problems(frame, lang: str, foreign: set[str], headers: bool = True) -> list[str]:
    problems = (
        [f"header {h!r}: {w}" for h, w in _foreign_headers(frame, foreign)] if headers else []
    )
    own, other = (DUTCH_NUMBER, ENGLISH_NUMBER) if lang == "nl" else (ENGLISH_NUMBER, DUTCH_NUMBER)
    for column in frame.columns:
        for value in frame[column]:
            if isinstance(value, list | np.ndarray):
                continue  # a sparkline's values
            if not isinstance(value, str):
                problems.append(f"{column!r}: {value!r} is not formatted text")
            elif value in NOT_A_VALUE:
                problems.append(f"{column!r}: {value!r}")
            elif other.match(value) and not own.match(value):
                problems.append(f"{column!r}: {value!r} is in the other language's format")
    return problems


def _foreign_headers(frame, foreign: set[str]) -> list[tuple[str, dict]]:
    found = [(str(h), foreign_words_in([str(h)], foreign)) for h in frame.columns]
    return [(h, w) for h, w in found if w]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_table_is_in_the_language_of_its_page(app, built_store, lang):
    foreign = foreign_words(built_store.store)[lang]
    problems: dict[str, list[str]] = {}
    seen = 0
    for page, params in SHOWN.items():
        for n, frame in enumerate(shown_tables(app, page, lang, params)):
            seen += 1
            # the export preview keeps the file's column names: they are its documented contract
            found = table_problems(frame, lang, foreign, headers=page != "exporteren")
            if found:
                problems[f"{page} table {n}"] = sorted(set(found))[:8]
    assert seen >= 6  # the map, flows, suburbanisation, export and about pages show tables
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
