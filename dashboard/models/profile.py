"""The profile page's model: one area over the years, with its rank and focus status."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import analysis
from dashboard.breaks import Break, harmonised_breaks, series_breaks
from dashboard.figures import charts as figures
from dashboard.i18n import fmt_number, t
from dashboard.models.labels import edition_name, rank_text
from dashboard.models.tables import Column, display_table
from dashboard.state import ProfileView
from geodata.catalogue import Indicator

#: The indicator whose rank and focus status the profile states.
MAIN_INDICATOR = "low_income_households_pct"
LEVEL_ORDER = {"gemeente": 0, "wijk": 1, "buurt": 2}


#: The order of the themes on the profile: poverty first.
THEME_ORDER = ("inkomen", "sociale_zekerheid", "bevolking", "wonen", "herkomst", "oppervlakte")


@dataclass(frozen=True)
class IndicatorPanel:
    """One indicator of the profile: its chart and what it means."""

    indicator: str
    label: str
    explanation: str
    latest: str  # "KWB 2023: 12,3 % (gemeente 10,1 %, regio 9,0 %)"
    breaks: list[str]
    figure: go.Figure


@dataclass(frozen=True)
class Theme:
    label: str
    panels: list[IndicatorPanel]


@dataclass(frozen=True)
class ProfileModel:
    """Everything the profile page shows for one area."""

    title: str
    caption: str
    history: pd.DataFrame
    rank: str | None = None
    focus: tuple[str, str] | None = None  # ("warning" | "success", text)
    official: list[str] = field(default_factory=list)
    successors: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    ended: str | None = None  # "this code ends with KWB 2022"
    themes: list[Theme] = field(default_factory=list)


def area_choices(areas: pd.DataFrame) -> pd.DataFrame:
    """One row per area code (its latest name and year), for the search box, gemeenten first."""
    latest = areas.sort_values("year").groupby("code", as_index=False).last()
    return latest.assign(order=latest["level"].map(LEVEL_ORDER)).sort_values(
        ["order", "name"], ignore_index=True
    )


def choice_labels(choices: pd.DataFrame) -> dict[str, str]:
    return dict(zip(choices["code"], choices["name"] + " (" + choices["code"] + ")", strict=True))


def rank_line(
    code: str,
    same_level: pd.DataFrame | None,
    label: str,
    year: int | None,
    level: str,
    lang: str,
) -> str | None:
    """The area's rank on the main indicator among all areas of its level in the whole region
    (1 = the highest share), with that base named."""
    if same_level is None or year is None:
        return None
    ranking = analysis.ranks(same_level.set_index("code")["value"], "higher_is_worse")
    rank = ranking.get(code)
    if rank is None or pd.isna(rank):
        return None
    text = rank_text(int(rank), int(ranking.notna().sum()), level, lang, "region")
    return f"**{label}** — " + t("profile_rank", lang, year=year, rank_text=text)


def focus_status(
    code: str, focus: pd.DataFrame | None, view: ProfileView, year: int | None
) -> tuple[str, str] | None:
    """Whether the focus rule flags the buurt, and why."""
    lang = view.lang
    if focus is None or year is None:
        return None
    flagged = focus.set_index("code")
    if code not in flagged.index:
        return None
    row = flagged.loc[code]
    if not row["is_focus"]:
        return ("success", t("profile_focus_no", lang, year=year))
    reason = (
        f"{fmt_number(row['value'], 1, lang)}% ≥ {fmt_number(view.factor, 1, lang)} × "
        f"{fmt_number(row['regional_mean'], 1, lang)}%, {int(row['households'])} "
        f"{t('households', lang).lower()}"
    )
    return ("warning", t("profile_focus_yes", lang, year=year, reason=reason))


def official_lines(code: str, official: pd.DataFrame, lang: str) -> list[str]:
    rows = official[official["code"] == code]
    return [
        f"{t('focus_official', lang)}: {r.list_name} — {r.label}. {t('source', lang)}: {r.source}"
        for r in rows.itertuples(index=False)
    ]


def profile_series(
    history: pd.DataFrame, references: pd.DataFrame, harmonised: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per indicator and year the area's value beside its municipality and the region (and,
    for a buurt of the reference year, its harmonised value).

    Indicators without any value for the area are left out.
    """
    own = history[["indicator", "year", "value"]].rename(columns={"value": "area"})
    known = set(own.dropna(subset=["area"])["indicator"])
    merged = references.merge(own, on=["indicator", "year"], how="left")
    if harmonised is not None:
        extra = harmonised[["indicator", "year", "value"]].rename(columns={"value": "harmonised"})
        known |= set(extra.dropna(subset=["harmonised"])["indicator"])
        merged = merged.merge(extra, on=["indicator", "year"], how="left")
    return merged[merged["indicator"].isin(known)].reset_index(drop=True)


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The area's code and name per boundary year, its level in words, its municipality."""
    columns = [
        Column("year", t("boundary_year", lang), "year"),
        Column("code", t("code", lang)),
        Column("name", t("name", lang)),
        Column("level", t("level", lang), "term"),
        Column("gemeente_code", t("municipality", lang)),
    ]
    return display_table(history, columns, lang)


@dataclass(frozen=True)
class ProfileData:
    """What the profile of one area is computed from (all plain frames; the data layer caches
    it per area and focus rule)."""

    code: str
    history: pd.DataFrame  # the area's rows of `areas`, all years
    values: pd.DataFrame  # its indicator values: indicator, year, value
    references: pd.DataFrame  # indicator, year, gemeente, region
    boundary_breaks: list[Break]
    test_editions: frozenset[int] = frozenset()
    rank_year: int | None = None
    same_level: pd.DataFrame | None = None  # code, value of the main indicator in rank_year
    focus: pd.DataFrame | None = None  # the focus rule applied to rank_year's buurten
    official: pd.DataFrame | None = None  # official focus areas of rank_year
    successors: list[tuple[str, str]] = field(default_factory=list)  # (code, name) after it ended
    last_edition: int | None = None  # the latest edition of the store
    #: The area's harmonised values (indicator, year, value) when it is a buurt of the
    #: reference year, and that year.
    harmonised: pd.DataFrame | None = None
    reference_year: int | None = None


def latest_text(part: pd.DataFrame, indicator: Indicator, lang: str, gemeente_label: str) -> str:
    """The latest value with its edition, beside its municipality and the region."""
    known = part.dropna(subset=["area"])
    if known.empty:
        return t("no_data", lang)
    row = known.iloc[-1]
    decimals = 0 if indicator.unit in analysis.WHOLE_UNITS else 1
    edition = edition_name(int(row["year"]), indicator.kind, lang)
    text = f"{edition}: {fmt_number(row['area'], decimals, lang)} {indicator.unit_label(lang)}"
    if indicator.aggregation != "sum":
        references = [f"{gemeente_label} {fmt_number(row['gemeente'], decimals, lang)}"]
        if pd.notna(row["region"]):
            region = fmt_number(row["region"], decimals, lang)
            references.append(f"{t('reference_region', lang)} {region}")
        text += f" ({', '.join(references)})"
    return text


def panel(
    indicator: Indicator,
    part: pd.DataFrame,
    found: list[Break],
    labels: tuple[str, str, dict[str, str]],
    lang: str,
    reference_year: int | None = None,
) -> IndicatorPanel:
    area_label, gemeente_label, attributions = labels
    attribution = attributions.get(indicator.kind) or attributions["cbs"]
    return IndicatorPanel(
        indicator=indicator.id,
        label=indicator.label(lang),
        explanation=indicator.description(lang),
        latest=latest_text(part, indicator, lang, gemeente_label),
        breaks=[b.text(lang) for b in found],
        figure=figures.indicator_chart(
            part,
            indicator,
            [b.year for b in found],
            lang,
            (area_label, gemeente_label),
            attribution,
            harmonised_line(found, reference_year, lang),
        ),
    )


def harmonised_line(
    found: list[Break], reference_year: int | None, lang: str
) -> tuple[str, list[int]] | None:
    """The label and break years of the harmonised line (None without a reference year)."""
    if reference_year is None:
        return None
    label = t("harmonised_line", lang, year=reference_year)
    return label, [b.year for b in harmonised_breaks(found)]


def themes(
    series: pd.DataFrame,
    inputs: ProfileData,
    indicators: dict[str, Indicator],
    labels: tuple[str, str, dict[str, str]],
    lang: str,
) -> list[Theme]:
    """The indicators with values, grouped by theme (poverty first), each with its breaks."""
    out = []
    for group in THEME_ORDER:
        panels = []
        for ind in (i for i in indicators.values() if i.group == group):
            part = series[series["indicator"] == ind.id].sort_values("year")
            if part.empty:
                continue
            editions = [int(y) for y in part["year"]]
            found = sorted(
                set(inputs.boundary_breaks)
                | set(series_breaks(editions, ind, None, set(inputs.test_editions)))
            )
            shown = [b for b in found if b.year in editions]
            panels.append(panel(ind, part, shown, labels, lang, inputs.reference_year))
        if panels:
            out.append(Theme(_theme_label(group, lang), panels))
    return out


def _theme_label(group: str, lang: str) -> str:
    from geodata.catalogue import GROUP_LABELS

    nl, en = GROUP_LABELS[group]
    return en if lang == "en" else nl


def ended_text(inputs: ProfileData, lang: str) -> str | None:
    last = int(inputs.history["year"].max())
    if inputs.last_edition is None or last >= inputs.last_edition:
        return None
    return t("profile_ended", lang, year=last)


@dataclass(frozen=True)
class ProfileInputs:
    """What the profile page is drawn from: the area's data, the catalogue, the view, the
    municipalities' names, the area's municipality today and the source line per kind of
    source (``cbs``, ``bbga``)."""

    data: ProfileData
    indicators: dict[str, Indicator]
    view: ProfileView
    names: dict[str, str]
    gemeente: str
    attributions: dict[str, str] | None = None


def profile_model(profile: ProfileInputs) -> ProfileModel:
    """The profile of one area in the language of its view."""
    inputs, indicators, view = profile.data, profile.indicators, profile.view
    names, gemeente, attributions = profile.names, profile.gemeente, profile.attributions
    lang, history = view.lang, inputs.history.sort_values("year")
    latest, year, code = history.iloc[-1], inputs.rank_year, inputs.code
    series = profile_series(inputs.values, inputs.references, inputs.harmonised)
    labels = (
        str(latest["name"]),
        names.get(gemeente, gemeente),
        {
            "cbs": t("attribution", lang),
            "bbga": t("attribution_bbga", lang),
            **(attributions or {}),
        },
    )
    label = indicators[MAIN_INDICATOR].label(lang)
    return ProfileModel(
        title=f"{latest['name']} ({code})",
        caption=f"{t(latest['level'], lang)} · {t('municipality', lang)}: "
        f"{names.get(latest['gemeente_code'], latest['gemeente_code'])}",
        history=history_table(history, lang),
        rank=rank_line(code, inputs.same_level, label, year, latest["level"], lang),
        focus=focus_status(code, inputs.focus, view, year) if latest["level"] == "buurt" else None,
        official=[] if inputs.official is None else official_lines(code, inputs.official, lang),
        successors=inputs.successors,
        ended=ended_text(inputs, lang),
        themes=themes(series, inputs, indicators, labels, lang),
    )
