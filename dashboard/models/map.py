"""The map page's model: one indicator on a choropleth, the focus buurten, the table."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard import analysis, links
from dashboard.analysis import Classes
from dashboard.figures.legend import Legend
from dashboard.i18n import fmt_number, t
from dashboard.models.choropleth import ChoroplethModel
from dashboard.models.labels import edition_text, rank_text, reference_of, source_caption
from dashboard.models.tables import Column, display_table, numbers_text
from dashboard.state import MapView
from geodata import publication
from geodata.catalogue import Indicator


@dataclass(frozen=True)
class Toggles:
    """The map's display switches (not part of the URL)."""

    show_focus: bool = True
    show_official: bool = True
    basemap: bool = False


@dataclass(frozen=True)
class MapModel:
    """Everything the map page shows."""

    title: str
    choropleth: ChoroplethModel
    legend: Legend
    panel: list[str]
    rule_text: str
    focus_table: pd.DataFrame
    table: pd.DataFrame
    source_caption: str


def map_frame(
    areas: pd.DataFrame, values: pd.Series, names: dict[str, str], direction: str
) -> pd.DataFrame:
    """Areas (code, name, gemeente_code) with their municipality's name, value and rank."""
    frame = areas[["code", "name", "gemeente_code"]].reset_index(drop=True)
    frame = frame.assign(
        gemeente_name=frame["gemeente_code"].map(names),
        value=frame["code"].map(values).astype(float),
    )
    return frame.assign(rank=analysis.ranks(frame["value"], direction))


def also_lines(
    codes: pd.Series, others: dict[str, pd.Series], indicators: dict[str, Indicator], lang: str
) -> pd.Series:
    """Per area, the other measures of the same thing in the same year (CBS's and Amsterdam's
    poverty figures side by side), as one hover line; empty where none has a value."""
    joined = np.full(len(codes), "", dtype=object)
    for indicator_id, values in others.items():
        indicator = indicators[indicator_id]
        decimals = 0 if indicator.unit in analysis.WHOLE_UNITS else 1
        found = codes.map(values)
        shown = np.array(numbers_text(found, decimals, lang), dtype=object)
        label = f"{html.escape(indicator.label(lang))}: "
        part = np.where(
            found.notna().to_numpy(), label + shown + f" {indicator.unit_label(lang)}", ""
        )
        glue = np.where((joined != "") & (part != ""), " · ", "")
        joined = joined + glue + part
    prefix = f"<br><i>{t('also_measured', lang)}: "
    return pd.Series(np.where(joined != "", prefix + joined + "</i>", ""), index=codes.index)


def rank_texts(ranks: pd.Series, level: str, lang: str) -> np.ndarray:
    """ "rang 54 van 387 buurten in de gekozen gemeenten" per area ("" without a rank)."""
    n = int(ranks.notna().sum())
    template = rank_text(0, n, level, lang, "chosen").replace(" 0 ", " {} ", 1)
    head, tail = template.split("{}", 1)
    known = ranks.notna().to_numpy()
    numbers = ranks.fillna(0).astype("int64").astype(str).to_numpy(dtype=object)
    return np.where(known, head + numbers + tail, "")


def hover_texts(
    frame: pd.DataFrame,
    unit: str,
    lang: str,
    decimals: int,
    level: str,
    edition: str,
    also: pd.Series | None = None,
    bounds: np.ndarray | None = None,
) -> list[str]:
    """Name, code, value with unit and both years, rank with its base, municipality, and the
    other measures of the same thing where there are any (vectorised). `bounds` marks values
    a source published rounded or capped ("<=" 5, ">=" 90: `geodata.publication`)."""
    known = frame["value"].notna().to_numpy()
    value = np.array(numbers_text(frame["value"], decimals, lang), dtype=object)
    if bounds is not None:
        value = np.where(bounds == "<=", "≤ ", np.where(bounds == ">=", "≥ ", "")) + value
    value = np.where(known, value + f" {unit}", t("no_data", lang))
    name = frame["name"].astype(str).map(html.escape).to_numpy(dtype=object)
    gemeente = frame["gemeente_name"].fillna(frame["gemeente_code"]).astype(str)
    municipality = f"<br>{t('municipality', lang)}: "
    text = (
        "<b>"
        + name
        + "</b> ("
        + frame["code"].to_numpy(dtype=object)
        + ")<br>"
        + value
        + f" ({edition})<br>"
        + rank_texts(frame["rank"], level, lang)
        + municipality
        + gemeente.map(html.escape).to_numpy(dtype=object)
    )
    if also is not None:
        text = text + also.to_numpy(dtype=object)
    return list(text)


def panel_lines(indicator: Indicator, source: pd.Series | None, view: MapView) -> list[str]:
    """Definition, unit and source of the indicator (texts from the catalogue and the store)."""
    lang = view.lang
    lines = [
        f"**{indicator.label(lang)}**",
        f"{t('definition', lang)}: {indicator.description(lang)}",
        f"{t('unit', lang)}: {indicator.unit_label(lang)}",
    ]
    if source is None or source["status"] != "published":
        return [*lines, t("not_published", lang)]
    publisher = "Gemeente Amsterdam" if indicator.kind == "bbga" else "CBS"
    lines.append(
        f"{t('source', lang)}: {publisher} {source['table_id']}, `{source['source_key']}` "
        f"({view.year})"
    )
    if indicator.kind in publication.SOURCES:
        lines.append(t("bbga_rounding", lang))
    if isinstance(source["reference_period"], str) and source["reference_period"]:
        lines.append(f"{t('reference_period', lang)}: {source['reference_period']}")
    return lines


def rule_text(focus: pd.DataFrame, view: MapView, focus_label: str) -> str:
    """The focus rule in one sentence, with this year's mean and threshold."""
    lang = view.lang
    mean = focus["regional_mean"].iloc[0] if len(focus) else np.nan
    threshold = focus["threshold"].iloc[0] if len(focus) else np.nan
    return t(
        "focus_rule",
        lang,
        indicator=focus_label.lower(),
        factor=fmt_number(view.factor, 1, lang),
        mean=f"{fmt_number(mean, 1, lang)}%",
        threshold=f"{fmt_number(threshold, 1, lang)}%",
        min_households=view.min_hh,
    )


def focus_table(focus: pd.DataFrame, view: MapView, names: dict[str, str]) -> pd.DataFrame:
    """The focus buurten of the chosen municipalities, highest share first (translated headers)."""
    lang = view.lang
    chosen = focus[focus["is_focus"] & focus["gemeente_code"].isin(view.gemeenten)]
    chosen = chosen.sort_values("value", ascending=False)
    chosen = chosen.assign(gemeente=chosen["gemeente_code"].map(names))
    columns = [
        Column("name", t("name", lang)),
        Column("code", t("code", lang)),
        Column("gemeente", t("municipality", lang)),
        Column("value", f"{t('value', lang)} (%)", "number", 1),
        Column("ratio", t("ratio", lang), "number", 2),
        Column("households", t("households", lang), "count"),
    ]
    return display_table(chosen, columns, lang)


def data_table(
    frame: pd.DataFrame, indicator: Indicator, view: MapView, decimals: int
) -> pd.DataFrame:
    """The map's figures as a table in the language's number format (the same numbers, for
    screen readers and copying); the rank column says what it ranks among."""
    lang, n = view.lang, int(frame["rank"].notna().sum())
    rank_header = (
        f"{t('rank', lang)} ({t('rank_note', lang)}; {n} {t(f'levels_plural_{view.level}', lang)})"
    )
    columns = [
        Column("name", t("name", lang)),
        Column("code", t("code", lang)),
        Column("gemeente_name", t("municipality", lang)),
        Column(
            "value", f"{indicator.label(lang)} ({indicator.unit_label(lang)})", "number", decimals
        ),
        Column("rank", rank_header, "count"),
    ]
    return display_table(frame, columns, lang)


def map_alt(indicator: Indicator, view: MapView, n: int) -> str:
    """The map's text for screen readers: what it shows, where, when, and which way is worse."""
    lang = view.lang
    worse = t("worse_low" if indicator.direction == "higher_is_better" else "worse_high", lang)
    return t(
        "map_alt",
        lang,
        indicator=indicator.label(lang),
        level=t(view.level, lang),
        year=view.year,
        n=n,
        worse=worse,
    )


def map_legend(
    classes: Classes, indicator: Indicator, view: MapView, edition: str, toggles: Toggles
) -> Legend:
    """The legend beside the map: the classes, the unit and edition, and the outlines shown."""
    title = f"{indicator.unit_label(view.lang)} · {edition}"
    at_buurt = view.level == "buurt"
    return Legend(
        classes.labels,
        classes.colors,
        title,
        toggles.show_focus and at_buurt,
        toggles.show_official,
    )


def choropleth(
    frame: pd.DataFrame,
    classes: Classes,
    indicator: Indicator,
    view: MapView,
    marks: tuple[set[str], set[str]],
    toggles: Toggles,
    source: str,
    edition: str,
    also: pd.Series | None = None,
) -> ChoroplethModel:
    """The map itself: classes, hover texts, outlines and the texts around it."""
    lang, focus_codes, official_codes = view.lang, marks[0], marks[1]
    codes = set(frame["code"])
    at_buurt = view.level == "buurt"
    return ChoroplethModel(
        codes=list(frame["code"]),
        classes=classes,
        hover=hover_texts(
            frame,
            indicator.unit_label(lang),
            lang,
            classes.decimals,
            view.level,
            edition,
            also,
            publication.bound(frame["value"], indicator.unit, indicator.kind),
        ),
        alt=map_alt(indicator, view, len(frame)),
        filename=f"kaart_{view.indicator}_{view.year}_{view.level}",
        profile_url=links.profile_prefix(lang),
        view_key=",".join(view.gemeenten),
        source_line=source,
        focus_codes=sorted(focus_codes & codes) if at_buurt else [],
        official_codes=sorted(official_codes & codes),
        show_focus=toggles.show_focus and at_buurt,
        show_official=toggles.show_official,
        basemap=toggles.basemap,
    )


def map_classes(values: pd.Series, indicator: Indicator, view: MapView) -> Classes:
    """The classes, colours and legend of one indicator on the map of `view` (one place, so
    that a recolour in the browser and the server's map agree)."""
    return analysis.choropleth_classes(
        values, view.classes, indicator.direction, indicator.unit, view.lang
    )


def recolour_bundle(
    areas: pd.DataFrame,
    values: dict[str, pd.Series],
    indicators: dict[str, Indicator],
    view: MapView,
) -> dict[str, dict[str, Any]]:
    """For every indicator in `values`: the map's colour classes of `areas` (in their order),
    so that the browser can recolour the map the moment another indicator is picked, before
    the page's rerun brings the rest (title, legend, hover texts, tables)."""
    out = {}
    for indicator_id, series in values.items():
        classes = map_classes(
            areas["code"].map(series).astype(float), indicators[indicator_id], view
        )
        out[indicator_id] = {
            "z": classes.z,
            "colorscale": classes.colorscale,
            "colorscale_n": classes.n + 1,
        }
    return out


@dataclass(frozen=True)
class MapInputs:
    """What the map page is drawn from. `areas`: the areas of the view's year, level and
    municipalities; `values`: its indicator by area code; `focus`: the focus rule applied to
    all buurten; `others`: the values of the same year of indicators that measure the same
    thing another way (shown in the hover)."""

    areas: pd.DataFrame
    values: pd.Series
    indicators: dict[str, Indicator]
    view: MapView
    focus: pd.DataFrame
    official_codes: set[str]
    names: dict[str, str]
    source: pd.Series | None
    toggles: Toggles
    attribution: str
    others: dict[str, pd.Series] | None = None
    #: Harmonised: per reference buurt its method, estimated share and error band.
    estimates: pd.DataFrame | None = None
    reference_year: int | None = None


def estimate_lines(
    codes: pd.Series, estimates: pd.DataFrame, indicator: Indicator, lang: str
) -> pd.Series:
    """Per reference buurt, how its harmonised value was found, as a hover line: exact, or
    which share was estimated, how, and the error band (measured, in the unit)."""
    found = estimates.set_index("code").reindex(codes.to_numpy())
    share = (found["estimated_share"].fillna(0) * 100).round().astype(int).astype(str)
    decimals = 0 if indicator.unit in analysis.WHOLE_UNITS else 1
    shown = np.array(numbers_text(found["error_band"], decimals, lang), dtype=object)
    band = np.where(
        found["error_band"].notna().to_numpy(),
        ", ± " + shown + f" {indicator.unit_label(lang)}",
        f", {t('band_unmeasured', lang)}",
    )
    method = found["method"].map(lambda m: t(f"method_{m}", lang) if isinstance(m, str) else "")
    estimated = found["estimated_share"].fillna(0).to_numpy() > 0
    detail = share.to_numpy() + "% " + method.to_numpy() + band
    text = np.where(
        estimated,
        "<br><i>" + t("estimated_hover", lang) + detail + "</i>",
        f"<br><i>{t('exact_hover', lang)}</i>",
    )
    return pd.Series(text, index=codes.index)


def estimated_codes(codes: pd.Series, estimates: pd.DataFrame) -> list[str]:
    """The drawn buurten whose harmonised value was partly estimated (outlined on the map)."""
    share = codes.map(estimates.set_index("code")["estimated_share"]).fillna(0.0)
    return sorted(codes[share.to_numpy() > 0])


def map_model(inputs: MapInputs) -> MapModel:
    """The map page for one view: title, map, legend, side panel, focus rule and tables."""
    view, indicators, source = inputs.view, inputs.indicators, inputs.source
    lang, indicator = view.lang, indicators[view.indicator]
    frame = map_frame(inputs.areas, inputs.values, inputs.names, indicator.direction)
    classes = map_classes(frame["value"], indicator, view)
    marks = (set(inputs.focus.loc[inputs.focus["is_focus"], "code"]), inputs.official_codes)
    caption = source_caption(inputs.attribution, source, view.year)
    edition = edition_text(view.year, reference_of(source), lang, indicator.kind)
    others, estimates = inputs.others, inputs.estimates
    also = also_lines(frame["code"], others, indicators, lang) if others else None
    if estimates is not None:
        also = estimate_lines(frame["code"], estimates, indicator, lang)
        edition += " · " + t("harmonised_title", lang, year=inputs.reference_year)
    drawn = choropleth(
        frame, classes, indicator, view, marks, inputs.toggles, caption, edition, also
    )
    if estimates is not None:
        drawn = replace(drawn, estimated_codes=estimated_codes(frame["code"], estimates))
    legend = map_legend(classes, indicator, view, edition, inputs.toggles)
    return MapModel(
        title=f"{indicator.label(lang)} · {edition}",
        choropleth=drawn,
        legend=replace(legend, show_estimated=bool(drawn.estimated_codes)),
        panel=panel_lines(indicator, source, view),
        rule_text=rule_text(inputs.focus, view, indicators[view.focus].label(lang)),
        focus_table=focus_table(inputs.focus, view, inputs.names),
        table=data_table(frame, indicator, view, classes.decimals),
        source_caption=caption,
    )
