"""Amsterdam's `statistieken` dataset (v2), the successor of the BBGA (deprecated 2026-06-24).

Amsterdam/amsterdam-schema ``datasets/statistieken`` (v2, the default version since 2026-07)
has two tables this project reads:

- ``indicatoren``: per indicator its ``naam`` (the BBGA variable name), ``label``,
  ``definitie``, ``eenheid`` (``{naam, symbool}``), ``bron`` (a list) and ``status``
  (``{vervallen, vervalDatum, vervalReden}``);
- ``cijfers``: one figure per indicator, area and period: ``indicator``, ``gebied``
  (``{type, datum, code, naam}``: the area, its type and the date of its division),
  ``tijdType``, ``begindatum``, ``einddatum``, ``heeftBetrekkingOp`` and ``waarde``.

Both answer as every DSO dataset does (HAL JSON, ``_links.next``). The functions here turn
them into the frames `pipelines.bbga` already reads (definitions; variable, year, area code,
value), plus the reference period each figure states. The live API could not be asked from
here; the field names follow the schema, and `parse_*` accept ``indicatorId`` beside
``indicator`` (how the DSO API renders a relation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from pipelines._dso import hal_pages, one_value_per_key, strict_number
from pipelines._http import HttpClient, Response
from pipelines.errors import SchemaError

DATASET = "statistieken"
INDICATORS, FIGURES = "indicatoren", "cijfers"
PAGE_SIZE = 10000
CITY_CODE = "STAD"
_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def fetch_indicators(http: HttpClient, base: str, api_key: str | None) -> list[Response]:
    """Every indicator definition of the dataset (one large page, then ``_links.next``)."""
    params = {"_format": "json", "_pageSize": str(PAGE_SIZE)}
    return hal_pages(http, f"{base}/v1/{DATASET}/{INDICATORS}/", params, INDICATORS, api_key)


def figure_params(variable: str, years: list[int]) -> dict[str, str]:
    """One indicator's figures over the years, filtered on the server."""
    return {
        "indicator": variable,
        "begindatum[gte]": f"{min(years)}-01-01",
        "begindatum[lte]": f"{max(years)}-12-31",
        "_format": "json",
        "_pageSize": str(PAGE_SIZE),
    }


def fetch_figures(
    http: HttpClient, base: str, variable: str, years: list[int], api_key: str | None
) -> list[Response]:
    """Every figure of one indicator for all Amsterdam areas in `years`."""
    url = f"{base}/v1/{DATASET}/{FIGURES}/"
    return hal_pages(http, url, figure_params(variable, years), FIGURES, api_key)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _nested(obj: dict[str, Any], field: str, key: str) -> str:
    value = obj.get(field)
    return _text(value.get(key)) if isinstance(value, dict) else ""


def parse_indicators(objects: list[dict[str, Any]]) -> pd.DataFrame:
    """variable, label, definition, source, reference_date, symbol of the indicators that are
    still kept up (``status.vervallen`` not true)."""
    rows = []
    for obj in objects:
        status = obj.get("status")
        if isinstance(status, dict) and status.get("vervallen") is True:
            continue
        name = _text(obj.get("naam"))
        if not name:
            raise SchemaError(
                f"A statistieken indicator lacks 'naam': {str(obj)[:200]}. The dataset changed; "
                "check /v1/statistieken/indicatoren/ and pipelines/statistieken.py."
            )
        bron = obj.get("bron")
        rows.append(
            {
                "variable": name,
                "label": _text(obj.get("label")),
                "definition": _text(obj.get("definitie")),
                "source": ", ".join(map(_text, bron)) if isinstance(bron, list) else _text(bron),
                "reference_date": "",
                "symbol": _nested(obj, "eenheid", "symbool"),
            }
        )
    columns = ["variable", "label", "definition", "source", "reference_date", "symbol"]
    return pd.DataFrame(rows, columns=columns).drop_duplicates("variable")


def _day(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise SchemaError(f"{where}: date {text!r} is not a date. The answer changed.") from exc


def period_text(begin: dt.date, end: dt.date) -> str:
    """What a figure describes, as the app shows it: "1 januari 2023" (a reference date),
    "2022 (jaarcijfer)" (a whole year), or "1 januari 2022 – 30 juni 2022"."""

    def day(d: dt.date) -> str:
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"

    if begin == end:
        return day(begin)
    if (begin.month, begin.day, end.month, end.day) == (1, 1, 12, 31) and begin.year == end.year:
        return f"{begin.year} (jaarcijfer)"
    return f"{day(begin)} – {day(end)}"


def area_code(obj: dict[str, Any]) -> str:
    """The area as the BBGA names it: Amsterdam's code, or ``STAD`` for the municipality."""
    kind = _nested(obj, "gebied", "type").lower()
    return CITY_CODE if kind in ("gemeente", "stad") else _nested(obj, "gebied", "code")


def parse_figures(objects: list[dict[str, Any]]) -> pd.DataFrame:
    """variable, year, gebiedcode15, value, reference_period (the year of ``begindatum``)."""
    rows = []
    for obj in objects:
        where = f"statistieken cijfer {obj.get('id')}"
        begin = _day(_text(obj.get("begindatum")), where)
        end = _day(_text(obj.get("einddatum")) or begin.isoformat(), where)
        rows.append(
            {
                "variable": _text(obj.get("indicator") or obj.get("indicatorId")),
                "year": begin.year,
                "gebiedcode15": area_code(obj),
                "value": strict_number(obj.get("waarde"), where),
                "reference_period": period_text(begin, end),
            }
        )
    columns = ["variable", "year", "gebiedcode15", "value", "reference_period"]
    frame = pd.DataFrame(rows, columns=columns).astype({"year": "int64", "value": "float64"})
    periods = frame.drop_duplicates(["variable", "year"])[["variable", "year", "reference_period"]]
    values = one_value_per_key(frame.drop(columns="reference_period"))
    return values.merge(periods, on=["variable", "year"], how="left")
