"""Page models, cached per view as shared objects (a copy would be unpickled on every
rerun): each wrapper gathers the inputs (keywords into one dataclass) and calls the pure
model in `dashboard.models`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import breaks, deck, migration, state
from dashboard.data.derived import (
    area_estimates,
    bounds,
    buurt_series,
    division_breaks,
    focus_buurten,
    focus_counts,
    gemeente_estimates,
    gemeente_outlines,
    gemeente_points,
    harmonised_estimates,
    income_territory_flows,
    index_breaks,
    indicators_at,
    population_by_year,
    region_references,
    successors,
    territory_flows,
    trend_breaks,
    trend_series,
    unchanged_areas,
    years_by_indicator,
)
from dashboard.data.static import (
    display_areas,
    feature_collection,
    geojson_url,
    plotly_scripts,
    topojson_url,
)
from dashboard.data.store import (
    StoreRef,
    area_history,
    areas_of,
    areas_table,
    attribution,
    catalogue,
    flow_region_names,
    gemeente_names,
    geometry_fingerprints,
    harmonised_for,
    harmonised_history,
    income_source,
    official_focus,
    reference_year,
    region,
    same_thing_values,
    source_row,
    test_editions,
    test_prefix,
    values_for,
)
from dashboard.figures import charts as figures
from dashboard.i18n import t
from dashboard.models import slides
from dashboard.models.choropleth import MapPlumbing
from dashboard.models.flows import FlowRegion, FlowsInputs, FlowsModel
from dashboard.models.flows import flows_model as build_flows_model
from dashboard.models.map import MapInputs, MapModel, Toggles
from dashboard.models.map import map_model as build_map_model
from dashboard.models.map import recolour_bundle as build_recolour_bundle
from dashboard.models.profile import MAIN_INDICATOR, ProfileData
from dashboard.models.suburb import DestinationTable, SuburbInputs, SuburbModel
from dashboard.models.suburb import destination_tables as build_destination_tables
from dashboard.models.suburb import suburbanisation_model as build_suburb_model
from dashboard.runtime import display
from dashboard.runtime.display import (
    STATIC_URL,
    StaticFilesError,
    store_prefix,
    write_atomically,
)


@st.cache_data(show_spinner=False, max_entries=64)
def profile_inputs(
    ref: StoreRef, code: str, focus: str, factor: float, min_hh: int
) -> tuple[ProfileData, str]:
    """What the profile of one area is computed from, and its municipality today."""
    areas = areas_table(ref)
    history = areas[areas["code"] == code].sort_values("year")
    latest = history.iloc[-1]
    gemeente = latest["gemeente_code"]
    gemeente = region().successor(gemeente) if gemeente in gemeente_names() else gemeente
    fingerprints = geometry_fingerprints(ref, code)
    years = [y for y in years_by_indicator(ref).get(MAIN_INDICATOR, []) if y in fingerprints]
    year = max(years) if years else None
    same_level = None
    if year is not None:
        level = areas[(areas["year"] == year) & (areas["level"] == latest["level"])]
        same_level = pd.DataFrame(
            {
                "code": level["code"],
                "value": level["code"].map(values_for(ref, MAIN_INDICATOR, year)),
            }
        )
    return (
        ProfileData(
            code=code,
            history=history,
            values=area_history(ref, code),
            references=region_references(ref, gemeente),
            boundary_breaks=breaks.boundary_breaks(fingerprints),
            test_editions=frozenset(test_editions(ref)),
            rank_year=year,
            same_level=same_level,
            focus=focus_buurten(ref, year, focus, factor, min_hh) if year is not None else None,
            official=official_focus(ref, year) if year is not None else None,
            successors=successors(ref, code),
            last_edition=int(areas["year"].max()),
            harmonised=harmonised_history(ref, code),
            reference_year=reference_year(ref),
        ),
        gemeente,
    )


@st.cache_resource(show_spinner=False, max_entries=48)
def map_model(ref: StoreRef, view: state.MapView, switches: Toggles) -> MapModel:
    """The map page's model for one view (computed once per view and store version)."""
    if view.harmonised:
        return build_map_model(harmonised_map_inputs(ref, view, switches))
    return build_map_model(
        MapInputs(
            areas=areas_of(ref, view.year, view.level, view.gemeenten),
            values=values_for(ref, view.indicator, view.year),
            indicators=catalogue(),
            view=view,
            focus=focus_buurten(ref, view.year, view.focus, view.factor, view.min_hh),
            official_codes=set(official_focus(ref, view.year)["code"]),
            names=gemeente_names(),
            source=source_row(ref, view.indicator, view.year),
            toggles=switches,
            attribution=attribution(ref, view.lang, catalogue()[view.indicator].kind),
            others=same_thing_values(ref, view.indicator, view.year),
        )
    )


def harmonised_map_inputs(ref: StoreRef, view: state.MapView, switches: Toggles) -> MapInputs:
    """A map of one edition on the reference year's buurten: the harmonised values, how each
    was found. Focus buurten and official lists belong to the edition's own buurten: the
    table lists them, the map does not outline them on other boundaries."""
    reference = reference_year(ref) or view.year
    found = harmonised_for(ref, view.indicator, view.year)
    areas = areas_of(ref, reference, "buurt", view.gemeenten)
    return MapInputs(
        areas=areas,
        values=pd.Series(found["value"].to_numpy(), index=found["code"].to_numpy()),
        indicators=catalogue(),
        view=replace(view, level="buurt"),
        focus=focus_buurten(ref, view.year, view.focus, view.factor, view.min_hh),
        official_codes=set(),
        names=gemeente_names(),
        source=source_row(ref, view.indicator, view.year),
        toggles=replace(switches, show_focus=False, show_official=False),
        attribution=attribution(ref, view.lang, catalogue()[view.indicator].kind),
        estimates=found,
        reference_year=reference,
    )


def geometry_year(ref: StoreRef, view: state.MapView) -> int:
    """The boundary year a map view is drawn on: its own, or the reference year's."""
    return (reference_year(ref) or view.year) if view.harmonised else view.year


@st.cache_resource(show_spinner=False, max_entries=32)
def flows_model(ref: StoreRef, view: state.FlowsView) -> FlowsModel:
    """The migration page's model for one view (figures built once per view and store)."""
    region_, group, lang = region(), view.income_group, view.lang
    return build_flows_model(
        FlowsInputs(
            view=view,
            selected=income_territory_flows(ref, group) if group else territory_flows(ref),
            region=FlowRegion(
                region_.core,
                region_.codes,
                region_.highlight,
                migration.merger_years(region_.merged),
            ),
            geography=(gemeente_points(ref).set_index("code"), gemeente_outlines(ref)),
            names={**flow_region_names(ref), **gemeente_names()},
            population=population_by_year(ref),
            income_source=income_source(ref) if group else None,
            prefix=test_prefix(ref, lang),
        )
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def suburb_model(ref: StoreRef, view: state.SuburbView) -> SuburbModel:
    """The suburbanisation page's model for one view (index chart and change map)."""
    level, lang = view.level or "buurt", view.lang
    if view.harmonised:
        return build_suburb_model(harmonised_suburb_inputs(ref, view))
    return build_suburb_model(
        SuburbInputs(
            view=view,
            estimates=gemeente_estimates(ref),
            core=region().core,
            areas=(
                area_estimates(ref, view.year_a, level),
                area_estimates(ref, view.year_b, level),
            ),
            unchanged=unchanged_areas(ref, view.year_a, view.year_b, level),
            names=gemeente_names(),
            attribution=attribution(ref, lang),
            index_breaks=index_breaks(ref),
        )
    )


def harmonised_suburb_inputs(ref: StoreRef, view: state.SuburbView) -> SuburbInputs:
    """Both years on the reference year's buurten: every buurt comparable, the estimated ones
    marked."""
    a, b = harmonised_estimates(ref, view.year_a), harmonised_estimates(ref, view.year_b)
    estimated = pd.concat([a, b]).groupby("code")["estimated_share"].max()
    return SuburbInputs(
        view=replace(view, level="buurt"),
        estimates=gemeente_estimates(ref),
        core=region().core,
        areas=(a.drop(columns="estimated_share"), b.drop(columns="estimated_share")),
        unchanged=set(b["code"]),
        names=gemeente_names(),
        attribution=attribution(ref, view.lang),
        index_breaks=index_breaks(ref),
        estimated=estimated,
        reference_year=reference_year(ref),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def rise_tables(ref: StoreRef, lang: str) -> list[DestinationTable]:
    """Per highlighted destination, its buurten where the low-income share rose most."""
    series = {code: buurt_series(ref, code) for code in region().highlight}
    return build_destination_tables(series, gemeente_names(), lang)


def recolour_url(ref: StoreRef, view: state.MapView) -> str:
    """URL of the static file with the map's colours for every indicator offered at the
    view's edition, level, municipalities and classification (see `ensure_recolour`)."""
    key = f"{view.year}|{view.level}|{view.gemeenten}|{view.classes}|{view.harmonised}"
    name = store_prefix(ref.target, ref.version) + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{STATIC_URL}/recolour/{name}.json"


@st.cache_resource(show_spinner=False, max_entries=64)
def ensure_recolour(ref: StoreRef, view: state.MapView) -> str:
    """Write the file behind `recolour_url` once per store version (after the map is drawn,
    so a first visit does not wait for it); returns its URL. The browser recolours the map
    from it the moment another indicator is picked."""
    if view.harmonised:
        return ""  # the instant recolour knows the editions' own buurten only: a pick reruns
    url = recolour_url(ref, view)
    target = display.STATIC_DIR / "recolour" / url.rsplit("/", 1)[1]
    if not target.exists():
        areas = areas_of(ref, view.year, view.level, view.gemeenten)
        offered = [
            i for i in indicators_at(ref, view.level) if view.year in years_by_indicator(ref)[i]
        ]
        values = {i: values_for(ref, i, view.year) for i in offered}
        bundle = build_recolour_bundle(areas, values, catalogue(), view)
        try:
            write_atomically(target, json.dumps(bundle, separators=(",", ":")).encode())
        except StaticFilesError:
            return ""  # no instant recolour: a pick then waits for the rerun
    return url


@st.cache_resource(show_spinner=False, max_entries=64)
def slide_model(
    ref: StoreRef, current: deck.Deck, position: int, lang: str, speed_ms: int, height: int
) -> slides.SlideModel:
    """Slide `position` of `current` with its chart `height` px high, built once per deck,
    position, language, speed and height (a map slide's figure carries its geometry: about
    0.1-0.4 s to build). Shared and read-only: the page does not change it."""
    slide = current.slides[position - 1]
    model = slides.slide_model(
        slides.SlideInputs(
            deck=current,
            position=position,
            data=None if slide.error else slide_data(ref, slide),
            lang=lang,
            speed_ms=speed_ms,
            test_prefix=test_prefix(ref, lang),
        )
    )
    if model.figure is not None:
        model.figure.update_layout(height=height)
    return model


def slide_data(ref: StoreRef, slide: deck.Slide) -> slides.SlideData:
    """What one valid slide's figure is drawn from (every read cached)."""
    f, region_ = slide.fields, region()
    if slide.type == "map":
        year, level, ind = int(f["year"]), str(f.get("level", "buurt")), catalogue()[f["indicator"]]
        areas = display_areas(ref, year, level)
        years = [y for y in years_by_indicator(ref).get(ind.id, []) if y <= year] or [year]
        chosen = years if f.get("animate") else [year]
        values = {y: areas["code"].map(values_for(ref, ind.id, y)).astype(float) for y in chosen}
        return slides.MapSlideData(
            pd.DataFrame(areas[["code", "name"]]), feature_collection(ref, year, level), values, ind
        )
    if slide.type == "trend":
        codes = tuple(f["areas"])
        return slides.TrendSlideData(
            trend_series(ref, f["indicator"], codes),
            trend_breaks(ref, f["indicator"], codes),
            catalogue()[f["indicator"]].kind,
        )
    if slide.type == "flows":
        return slides.FlowsSlideData(
            migration.core_flows(territory_flows(ref), region_.core),
            gemeente_points(ref).set_index("code"),
            gemeente_outlines(ref),
            {**flow_region_names(ref), **gemeente_names()},
            region_.core,
            region_.codes,
            region_.highlight,
        )
    return slides.IndexSlideData(
        gemeente_estimates(ref), region_.core, tuple(b.year for b in index_breaks(ref))
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def focus_count_figure(
    ref: StoreRef, focus: str, factor: float, min_hh: int, lang: str
) -> tuple[go.Figure, str | None]:
    """The focus-buurten-per-municipality chart, built once per focus rule and language, and
    the note naming the new buurt divisions its lines break at."""
    divisions = division_breaks(ref)
    figure = figures.focus_count_chart(
        focus_counts(ref, focus, factor, min_hh),
        gemeente_names(),
        lang,
        attribution(ref, lang),
        divisions,
    )
    names = gemeente_names()
    listed = [
        f"{names.get(code, code)} {', '.join(map(str, years))}"
        for code, years in sorted(divisions.items())
        if years
    ]
    note = t("focus_count_breaks", lang, breaks="; ".join(listed)) if listed else None
    return figure, note


def map_plumbing(ref: StoreRef, year: int, level: str, gemeenten: tuple[str, ...]) -> MapPlumbing:
    """The URLs and frame a map needs besides its model: script, topology, geometry, bounds."""
    return MapPlumbing(
        plotly=plotly_scripts(),
        topojson_url=topojson_url(),
        geo_url=geojson_url(ref, year, level),
        bounds=bounds(ref, gemeenten),
    )
