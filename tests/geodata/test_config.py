"""Settings from the environment and the region file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geodata.config import REGION_FILE, ConfigError, load_region, settings_from_env


def test_defaults_point_at_the_live_services():
    settings = settings_from_env({})
    assert settings.cbs_odata_url == "https://opendata.cbs.nl"
    assert settings.pdok_url == "https://service.pdok.nl"
    assert settings.amsterdam_api_url == "https://api.data.amsterdam.nl"
    assert settings.store.endswith("store.gpkg")
    assert settings.uses_default_hosts


def test_environment_overrides_and_trailing_slash(tmp_path):
    settings = settings_from_env(
        {
            "CBS_ODATA_URL": "http://127.0.0.1:8765/cbs/",
            "GEODATA_STORE": str(tmp_path / "s.gpkg"),
            "GEODATA_CACHE_DIR": str(tmp_path / "c"),
        }
    )
    assert settings.cbs_odata_url == "http://127.0.0.1:8765/cbs"
    assert settings.store == str(tmp_path / "s.gpkg")
    assert not settings.uses_default_hosts


def test_a_url_without_scheme_is_refused_with_an_example():
    with pytest.raises(ConfigError, match=r"PDOK_URL='service.pdok.nl'.*https://service.pdok.nl"):
        settings_from_env({"PDOK_URL": "service.pdok.nl"})


def test_region_file_holds_the_fifteen_municipalities_and_mergers():
    region = load_region()
    assert len(region.gemeenten) == 15
    assert region.core == "GM0363"
    assert region.successor("GM0457") == "GM0363"
    assert region.successor("GM0370") == "GM0439"
    weesp, beemster = region.gemeente("GM0457"), region.gemeente("GM0370")
    assert weesp.merge_date == dt.date(2022, 3, 24)
    assert weesp.in_kwb_year(2022) and not weesp.in_kwb_year(2023)  # KWB uses 1 January
    assert beemster.in_kwb_year(2021) and not beemster.in_kwb_year(2022)
    assert weesp.in_flow_year(2021) and not weesp.in_flow_year(2022)


def test_unknown_code_names_the_file_and_the_valid_codes():
    with pytest.raises(ConfigError, match=r"GM9999.*region.toml"):
        load_region().gemeente("GM9999")


def test_bad_region_file_names_the_problem(tmp_path: Path):
    path = tmp_path / "region.toml"
    path.write_text(
        '[region]\nname_nl="x"\nname_en="x"\ncore="GM0363"\nkwb_years=[2024, 2015]\nflow_years=[2011,2024]\n'
        '[[gemeenten]]\ncode="GM0363"\nname="Amsterdam"\n'
    )
    with pytest.raises(ConfigError, match="kwb_years"):
        load_region(path)
    path.write_text("[region\n")
    with pytest.raises(ConfigError, match="Cannot read the region file"):
        load_region(path)


def test_amsterdam_key_and_date_come_from_the_environment():
    settings = settings_from_env(
        {"AMSTERDAM_API_KEY": " k3y ", "AMSTERDAM_GELDIG_OP": "2020-01-01"}
    )
    assert settings.amsterdam_api_key == "k3y"
    assert settings.geldig_op == dt.date(2020, 1, 1)
    assert "k3y" not in repr(settings)  # a key never reaches logs through the settings' repr
    default = settings_from_env({})
    assert default.amsterdam_api_key is None and default.geldig_op == dt.date.today()


@pytest.mark.parametrize("value", ["2020-13-01", "1-1-2020", "2020-01-01T00:00", "٢٠٢٠-01-01"])
def test_a_bad_geldig_op_date_is_refused_with_the_format(value):
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        settings_from_env({"AMSTERDAM_GELDIG_OP": value})


def test_the_region_names_its_first_editions_and_takes_later_ones_as_offered(tmp_path: Path):
    region = load_region()
    assert region.kwb_years == (2015, None) and region.flow_years == (2011, None)
    assert region.kwb_years_within([2014, 2015, 2025, 2026]) == [2015, 2025, 2026]
    path = tmp_path / "region.toml"
    text = REGION_FILE.read_text(encoding="utf-8").replace(
        "kwb_years = [2015]", "kwb_years = [2015, 2024]"
    )
    path.write_text(text, encoding="utf-8")
    assert load_region(path).kwb_years_within([2015, 2024, 2025]) == [2015, 2024]
    for bad in ("[]", "[2015, 2016, 2017]", "[true]", '["2015"]'):
        path.write_text(text.replace("kwb_years = [2015, 2024]", f"kwb_years = {bad}"))
        with pytest.raises(ConfigError, match=r"expected \[first\]"):
            load_region(path)
