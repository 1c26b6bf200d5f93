"""PDOK WFS: page parsing, region and water filtering, geometry repair."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from geodata.config import load_region
from pipelines import boundaries
from pipelines.errors import SchemaError
from tests.conftest import fixture_bytes


def page() -> boundaries.FeaturePage:
    return boundaries.parse_feature_page(fixture_bytes("pdok/buurten_page.geojson"))


def test_parse_feature_page_reads_number_matched_and_crs():
    parsed = page()
    assert parsed.number_matched == 1204
    assert len(parsed.frame) == 4
    assert parsed.frame.crs.to_epsg() == 28992


@pytest.mark.parametrize(
    "body", [b'{"type":"FeatureCollection","features":[{"type":"Fea', b"<html>busy</html>"]
)
def test_parse_feature_page_rejects_truncated_or_foreign_bodies(body):
    with pytest.raises(ValueError):
        boundaries.parse_feature_page(body)


def test_normalise_layer_keeps_region_land_units_and_repairs_geometry():
    areas = boundaries.normalise_layer(page().frame, "buurt", 2024, load_region())
    assert list(areas["code"]) == ["BU03630000", "BU03630001"]  # water and The Hague dropped
    row = areas.set_index("code").loc["BU03630001"]
    assert row["name"] == "Oude Kerk e.o."
    assert (
        row["wijk_code"] == "WK036300"
        and row["gemeente_code"] == "GM0363"
        and row["level"] == "buurt"
    )
    assert shapely.is_valid(areas.geometry.values).all()  # the bow-tie was repaired
    assert set(areas.geometry.geom_type) == {"MultiPolygon"}
    assert areas.crs.to_epsg() == 28992
    assert list(areas.columns) == [
        "code",
        "name",
        "level",
        "gemeente_code",
        "wijk_code",
        "year",
        "geometry",
    ]


def test_normalise_layer_names_the_missing_property():
    frame = page().frame.drop(columns=["buurtcode"])
    with pytest.raises(
        SchemaError, match=r"PDOK wijkenbuurten 2024 layer buurten has no code property"
    ):
        boundaries.normalise_layer(frame, "buurt", 2024, load_region())


def test_repair_geometries_does_not_mutate_its_input():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    series = gpd.GeoSeries([bowtie], crs=28992)
    repaired = boundaries.repair_geometries(series)
    assert not series.is_valid.iloc[0]
    assert repaired.is_valid.iloc[0]
    assert repaired.area.iloc[0] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2020,
            {
                "gemeente": "wijkenbuurten2020:cbs_gemeente_2020",
                "wijk": "wijkenbuurten2020:cbs_wijken_2020",
                "buurt": "wijkenbuurten2020:cbs_buurten_2020",
            },
        ),
        (
            2023,
            {
                "gemeente": "wijkenbuurten:gemeenten",
                "wijk": "wijkenbuurten:wijken",
                "buurt": "wijkenbuurten:buurten",
            },
        ),
    ],
)
def test_type_names_are_read_from_each_years_capabilities(year, expected):
    capabilities = boundaries.parse_capabilities(fixture_bytes(f"pdok/capabilities_{year}.xml"))
    assert capabilities.title == f"CBS Wijken en Buurten {year}"
    assert boundaries.pick_type_names(capabilities, year) == expected


def test_a_layer_of_another_year_is_not_taken():
    capabilities = boundaries.parse_capabilities(fixture_bytes("pdok/capabilities_2020.xml"))
    with pytest.raises(SchemaError) as info:
        boundaries.pick_type_names(capabilities, 2019)
    message = str(info.value)
    assert "PDOK wijkenbuurten 2019" in message and "wijkenbuurten2020:cbs_gemeente_2020" in message
    assert "pipelines/boundaries.py" in message


def test_no_fitting_layer_names_the_year_and_the_layers_on_offer():
    capabilities = boundaries.Capabilities("x", (("ns:provincies", "Provincies"),))
    with pytest.raises(SchemaError, match=r"2023 offers no gemeenten layer.*ns:provincies"):
        boundaries.pick_type_names(capabilities, 2023)


@pytest.mark.parametrize("body", [b"<html>busy</html", b"<ows:ExceptionReport/>", b"{}"])
def test_parse_capabilities_rejects_what_is_not_a_wfs_capabilities_document(body):
    with pytest.raises(ValueError):
        boundaries.parse_capabilities(body)


def test_property_names_are_compared_case_insensitively():
    frame = page().frame
    upper = frame.rename(columns={c: c.upper() for c in frame.columns if c != "geometry"})
    areas = boundaries.normalise_layer(upper, "buurt", 2024, load_region())
    assert list(areas["code"]) == ["BU03630000", "BU03630001"]


def test_the_getfeature_request_names_the_layer_it_was_given():
    params = boundaries.page_params("wijkenbuurten2020:cbs_buurten_2020", 1000)
    assert params["typeNames"] == "wijkenbuurten2020:cbs_buurten_2020"
    assert params["startIndex"] == "1000" and params["srsName"] == "EPSG:28992"


def test_a_year_pdok_does_not_serve_is_a_gap_that_says_so(stub_server, tmp_path):
    from pipelines._http import HttpClient

    stub_server.routes["/cbs/wijkenbuurten/2026/wfs/v1_0"] = [(404, b"404 page not found", "")]
    http = HttpClient(tmp_path / "cache", backoff=0.01, retries=1)
    result = boundaries.run(http, stub_server.url, load_region(), [2026])
    (gap,) = result.gaps
    assert (gap.year, gap.status) == (2026, "not_published")
    assert "PDOK serves no wijken-en-buurten boundaries for 2026" in gap.reason
    assert "HTTP 404" in gap.reason and "once PDOK publishes cbs/wijkenbuurten/2026" in gap.fix
    assert result.tables["areas"].empty


def test_pdok_2025_camel_case_statistics_leave_codes_names_and_water_as_they_were():
    camel = boundaries.parse_feature_page(fixture_bytes("pdok/buurten_page_2025_camelcase.geojson"))
    assert "aantalInwoners" in camel.frame.columns
    areas = boundaries.normalise_layer(camel.frame, "buurt", 2025, load_region())
    reference = boundaries.normalise_layer(page().frame, "buurt", 2024, load_region())
    assert list(areas["code"]) == list(reference["code"])
    assert list(areas["name"]) == list(reference["name"]) and set(areas["year"]) == {2025}
