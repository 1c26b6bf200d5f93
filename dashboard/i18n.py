"""Interface texts in Dutch (default) and English. Indicator texts come from the catalogue."""

from __future__ import annotations

LANGS = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Armoede in de regio Amsterdam", "Poverty in the Amsterdam region"),
    "page_map": ("Kaart", "Map"),
    "page_profile": ("Buurtprofiel", "Neighbourhood profile"),
    "page_about": ("Over de data", "About the data"),
    "language": ("Taal / language", "Taal / language"),
    "indicator": ("Indicator", "Indicator"),
    "year": ("Jaar (KWB-editie)", "Year (KWB edition)"),
    "level": ("Niveau", "Level"),
    "gemeente": ("gemeente", "municipality"),
    "wijk": ("wijk", "district"),
    "buurt": ("buurt", "neighbourhood"),
    "gemeenten": ("Gemeenten", "Municipalities"),
    "classification": ("Indeling in klassen", "Classification"),
    "quantile": ("Kwantielen (even veel gebieden per klasse)", "Quantiles (equal counts)"),
    "equal": ("Gelijke intervallen", "Equal intervals"),
    "jenks": ("Natuurlijke grenzen (Jenks)", "Natural breaks (Jenks)"),
    "basemap": ("PDOK-achtergrondkaart (vraagt internet)", "PDOK base map (needs internet)"),
    "no_data": ("geen gegevens / geheim", "no data / confidential"),
    "unit": ("Eenheid", "Unit"),
    "source": ("Bron", "Source"),
    "definition": ("Definitie", "Definition"),
    "reference_period": (
        "Peildatum of periode volgens CBS",
        "Reference date or period according to CBS",
    ),
    "not_published": (
        "CBS publiceert dit cijfer niet in deze editie.",
        "CBS does not publish this figure in this edition.",
    ),
    "focus_title": ("Aandachtsbuurten", "Focus neighbourhoods"),
    "focus_show": ("Toon aandachtsbuurten (omlijning)", "Show focus neighbourhoods (outline)"),
    "focus_official_show": ("Toon officiële aandachtsgebieden", "Show official focus areas"),
    "focus_indicator": ("Maatstaf", "Measure"),
    "focus_factor": ("Factor t.o.v. regiogemiddelde", "Factor relative to the regional mean"),
    "focus_min_households": ("Minimaal aantal huishoudens", "Minimum number of households"),
    "focus_rule": (
        "Een buurt is een aandachtsbuurt als het aandeel {indicator} minstens {factor} keer het "
        "regiogemiddelde is ({mean}, gewogen naar huishoudens; grens {threshold}) en er minstens "
        "{min_households} huishoudens wonen.",
        "A neighbourhood is a focus neighbourhood when its share of {indicator} is at least {factor} "
        "times the regional mean ({mean}, weighted by households; threshold {threshold}) and it has at "
        "least {min_households} households.",
    ),
    "focus_count_title": (
        "Aantal aandachtsbuurten per gemeente",
        "Focus neighbourhoods per municipality",
    ),
    "focus_none": (
        "Geen aandachtsbuurten met deze instellingen.",
        "No focus neighbourhoods with these settings.",
    ),
    "focus_data_driven": ("Aandachtsbuurt (berekend)", "Focus neighbourhood (computed)"),
    "focus_official": ("Officieel aandachtsgebied", "Official focus area"),
    "name": ("Naam", "Name"),
    "code": ("Code", "Code"),
    "value": ("Waarde", "Value"),
    "rank": ("Rang in de regio", "Rank in the region"),
    "households": ("Huishoudens", "Households"),
    "municipality": ("Gemeente", "Municipality"),
    "ratio": ("× regiogemiddelde", "× regional mean"),
    "table_title": ("Tabel bij de kaart", "Table for the map"),
    "map_alt": (
        "Kaart van {indicator} per {level} in {year}, {n} gebieden; donkerder is {worse}. "
        "De tabel eronder bevat dezelfde cijfers.",
        "Map of {indicator} by {level} in {year}, {n} areas; darker is {worse}. The table below holds the same figures.",
    ),
    "worse_high": ("een hogere waarde", "a higher value"),
    "worse_low": ("een lagere waarde", "a lower value"),
    "open_profile": ("Open buurtprofiel", "Open profile"),
    "search_area": ("Zoek een gebied (naam of code)", "Find an area (name or code)"),
    "profile_rank": (
        "Rang in de regio ({year}): {rank} van {n}",
        "Rank in the region ({year}): {rank} of {n}",
    ),
    "profile_focus_yes": (
        "Aandachtsbuurt in {year}: {reason}",
        "Focus neighbourhood in {year}: {reason}",
    ),
    "profile_focus_no": (
        "Geen aandachtsbuurt volgens de regel in {year}.",
        "Not a focus neighbourhood by the rule in {year}.",
    ),
    "profile_history": ("Code en naam door de jaren", "Code and name over the years"),
    "profile_breaks": (
        "Indeling gewijzigd in: {years}. Daar is de lijn onderbroken: het gebied is niet hetzelfde gebleven.",
        "Boundaries changed in: {years}. The line is broken there: the area did not stay the same.",
    ),
    "reference_region": ("regio", "region"),
    "reference_gemeente": ("gemeente", "municipality"),
    "no_area": (
        "Kies een gebied met het zoekvak of klik op de kaart.",
        "Choose an area with the search box or click the map.",
    ),
    "empty_title": ("Nog geen gegevens", "No data yet"),
    "empty_body": (
        "De lokale opslag `{path}` is leeg of ontbreekt. Bouw hem eerst met:",
        "The local store `{path}` is empty or missing. Build it first with:",
    ),
    "empty_after": (
        "Zonder internet gebruikt `make app` de lokale mirror (testdata) als die er is. Ververs daarna deze pagina.",
        "Without internet, `make app` uses the local mirror (test data) when present. Then reload this page.",
    ),
    "invalid_param": (
        "Ongeldige waarde {value!r} voor `{name}` in de link; standaard gebruikt.",
        "Invalid value {value!r} for `{name}` in the link; using the default.",
    ),
    "attribution": (
        "Bron: CBS, Kerncijfers wijken en buurten (CC BY 4.0); grenzen: CBS/Kadaster via PDOK",
        "Source: CBS (Statistics Netherlands), Key figures districts and neighbourhoods (CC BY 4.0); boundaries: CBS/Kadaster via PDOK",
    ),
    "about_store": ("Wat de opslag bevat", "What the store holds"),
    "about_definitions": ("Definities van de indicatoren", "Indicator definitions"),
    "about_attribution": ("Bronvermelding", "Attribution"),
    "about_attribution_text": (
        "- Statistieken: Centraal Bureau voor de Statistiek, CC BY 4.0. **Bron: CBS.**\n"
        "- Grenzen van gemeenten, wijken en buurten: CBS en Kadaster, via PDOK.\n"
        "- Amsterdamse gebiedsindeling: Gemeente Amsterdam (api.data.amsterdam.nl).\n"
        "- Officiële aandachtsgebieden: zie de bronverwijzing per gebied hieronder.",
        "- Statistics: Statistics Netherlands (CBS), CC BY 4.0. **Source: CBS.**\n"
        "- Boundaries of municipalities, districts and neighbourhoods: CBS and Kadaster, via PDOK.\n"
        "- Amsterdam's area division: City of Amsterdam (api.data.amsterdam.nl).\n"
        "- Official focus areas: see the reference per area below.",
    ),
    "about_official": ("Officiële aandachtsgebieden", "Official focus areas"),
    "retrieved": ("opgehaald", "retrieved"),
}


def t(key: str, lang: str = "nl", **values: object) -> str:
    """The text for `key` in `lang`, with `values` filled in."""
    nl, en = TEXTS[key]
    text = en if lang == "en" else nl
    return text.format(**values) if values else text


def fmt_number(value: float | None, decimals: int = 1, lang: str = "nl") -> str:
    """A number in Dutch (1.234,5) or English (1,234.5) notation; '–' when missing."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text
