"""Interface texts in Dutch (default) and English. Indicator texts come from the catalogue."""

from __future__ import annotations

LANGS = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
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
    "stadsdeel": ("stadsdeel (Amsterdam)", "borough (Amsterdam)"),
    "gebied": ("gebied (Amsterdam)", "area (Amsterdam)"),
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
    "rank": ("Rang", "Rank"),
    "rank_of_chosen": (
        "rang {rank} van {n} {level} in de gekozen gemeenten",
        "rank {rank} of {n} {level} in the chosen municipalities",
    ),
    "rank_of_region": (
        "rang {rank} van {n} {level} in de regio",
        "rank {rank} of {n} {level} in the region",
    ),
    "rank_note": ("1 = hoogste aandeel (slechtste)", "1 = highest share (worst)"),
    "levels_plural_gemeente": ("gemeenten", "municipalities"),
    "levels_plural_wijk": ("wijken", "districts"),
    "levels_plural_buurt": ("buurten", "neighbourhoods"),
    "levels_plural_stadsdeel": ("stadsdelen", "boroughs"),
    "levels_plural_gebied": ("gebieden", "areas"),
    "edition": ("KWB {year}", "KWB {year}"),
    "edition_bbga": ("BBGA {year}", "BBGA {year}"),
    "comparison_measure": ("Maat", "Measure"),
    "comparison_edition": ("Editie en peildatum", "Edition and reference date"),
    "source_bbga_short": ("Gemeente Amsterdam, OIS (BBGA)", "City of Amsterdam, OIS (BBGA)"),
    "also_measured": ("anders gemeten, zelfde jaar", "measured otherwise, same year"),
    "break_boundary": ("{year}: grens gewijzigd", "{year}: boundary changed"),
    "break_code": ("{year}: code nieuw of opnieuw gebruikt", "{year}: new or re-used code"),
    "break_definition": (
        "{year}: definitie of berekening van CBS gewijzigd",
        "{year}: CBS changed the definition or computation",
    ),
    "break_test_data": (
        "{year}: testgegevens en echte gegevens ontmoeten elkaar",
        "{year}: test data and real data meet",
    ),
    "breaks_intro": (
        "De lijn is onderbroken waar twee edities niet vergelijkbaar zijn:",
        "The line is broken where two editions cannot be compared:",
    ),
    "focus_count_breaks": (
        "Een open plek in een lijn: de buurtindeling van die gemeente veranderde, dus het aantal "
        "buurten is niet vergelijkbaar met het jaar ervoor ({breaks}).",
        "A gap in a line: the municipality's neighbourhood division changed, so the number of "
        "neighbourhoods is not comparable with the year before ({breaks}).",
    ),
    "index_reading_short": (
        "Van {first} tot {last} zijn er te weinig vergelijkbare edities (minstens drie zonder "
        "breuk) om van een trend te spreken.",
        "From {first} to {last} there are too few comparable editions (at least three without a "
        "break) to speak of a trend.",
    ),
    "index_reading_broken": (
        "Vóór {start} is de reeks niet vergelijkbaar ({reasons}); over die jaren kan niets over "
        "suburbanisatie worden geconcludeerd.",
        "Before {start} the series is not comparable ({reasons}); nothing can be concluded about "
        "suburbanisation across those years.",
    ),
    "reference": ("peildatum/periode {period}", "reference {period}"),
    "reference_unknown": ("peildatum/periode onbekend", "reference period unknown"),
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
    "search_area": ("Zoek een gebied (naam of code)", "Find an area (name or code)"),
    "profile_rank": (
        "KWB {year}: {rank_text}",
        "KWB {year}: {rank_text}",
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
    "profile_ended": (
        "Deze code bestaat tot en met KWB {year}; daarna hoort het gebied (deels) bij:",
        "This code exists up to KWB {year}; after that the area belongs (partly) to:",
    ),
    "profile_latest": ("Laatste cijfer", "Latest figure"),
    "reference_region": ("regio", "region"),
    "no_area": (
        "Kies een gebied met het zoekvak of klik op de kaart.",
        "Choose an area with the search box or click the map.",
    ),
    "empty_title": ("Nog geen gegevens", "No data yet"),
    "empty_body": (
        "De lokale opslag {path} is leeg of ontbreekt. Bouw hem eerst met:",
        "The local store {path} is empty or missing. Build it first with:",
    ),
    "static_unwritable": (
        "De kaart kan haar bestanden niet schrijven in {folder} ({cause}). Maak die map "
        "schrijfbaar voor de gebruiker die de app draait en laad de pagina opnieuw.",
        "The map cannot write its files into {folder} ({cause}). Make that folder writable "
        "for the user running the app and reload the page.",
    ),
    "damaged_title": ("De opslag is beschadigd", "The store is damaged"),
    "damaged_body": (
        "De opslag {path} kan niet worden gelezen. Zet het bestand opzij en bouw de opslag "
        "opnieuw (met de antwoordcache gaat dat snel):",
        "The store {path} cannot be read. Move the file aside and rebuild the store (the "
        "response cache makes that quick):",
    ),
    "empty_after": (
        "Zonder internet gebruikt `make app` de lokale mirror (testdata) als die er is. Ververs daarna deze pagina.",
        "Without internet, `make app` uses the local mirror (test data) when present. Then reload this page.",
    ),
    "invalid_param": (
        "Ongeldige waarde {value} voor {name} in de link; de standaardwaarde is gebruikt.",
        "Invalid value {value} for {name} in the link; the default is used.",
    ),
    "test_banner": (
        "Testgegevens: deels synthetisch, niet voor analyse. Deze opslag is gebouwd uit een "
        "testbron (lokale mirror), niet uit de echte CBS-, PDOK- en Amsterdamse diensten.",
        "Test data: partly synthetic, not for analysis. This store was built from a test source "
        "(a local mirror), not from the real CBS, PDOK and Amsterdam services.",
    ),
    "test_prefix": ("TESTGEGEVENS (deels synthetisch)", "TEST DATA (partly synthetic)"),
    "store_behind": (
        "De opslag loopt achter op de bronnen: {offered} is beschikbaar (gezien op {checked}). "
        "Werk de opslag bij met `python -m pipelines build`; tot dan tonen alle pagina's de "
        "oudere edities.",
        "The store is behind the sources: {offered} is available (seen on {checked}). Update "
        "the store with `python -m pipelines build`; until then every page shows the older "
        "editions.",
    ),
    "newest_not_in_indicator": (
        "KWB {newest} is de nieuwste editie in de opslag, maar CBS publiceert daarin (nog) geen "
        "cijfers voor deze indicator; de kaart toont {year}, de nieuwste editie met cijfers.",
        "KWB {newest} is the newest edition in the store, but CBS publishes no figures for this "
        "indicator in it (yet); the map shows {year}, the newest edition with figures.",
    ),
    "bbga_rounding": (
        "Amsterdam publiceert aantallen van 1 tot en met 4 als 5 en percentages boven 90 als 90; "
        "zulke waarden staan hier als ≤ 5 en ≥ 90.",
        "Amsterdam publishes counts of 1 to 4 as 5 and percentages above 90 as 90; such values "
        "are shown here as ≤ 5 and ≥ 90.",
    ),
    "about_harmonised": ("Geharmoniseerde buurtreeksen", "Harmonised buurt series"),
    "about_harmonised_text": (
        "Om buurten over de jaren te volgen, ook waar CBS de buurten anders indeelde (zoals "
        "Amsterdam in 2022), zet de opslag elke editie op de buurten van {year}. Een buurt die "
        "niet veranderde, krijgt zijn eigen cijfer. Een buurt die uit delen van vroegere "
        "buurten bestaat, krijgt een schatting: aantallen worden verdeeld naar waar de "
        "huishoudens wonen (of, zonder huishoudens, naar landoppervlakte) en percentages en "
        "gemiddelden worden opnieuw berekend uit die verdeelde tellers en noemers. Hoe goed "
        "dat werkt, is gemeten: elk wijkcijfer is op dezelfde manier over de buurten verdeeld "
        "en vergeleken met het eigen buurtcijfer van CBS. De tabel toont die fout.",
        "To follow buurten over the years, also where CBS divided them differently (as "
        "Amsterdam in 2022), the store puts every edition on the {year} buurten. A buurt that "
        "did not change keeps its own figure. A buurt made of parts of earlier buurten gets an "
        "estimate: counts are shared out by where households live (or, without households, by "
        "land area), and percentages and means are rebuilt from those shared-out numerators "
        "and denominators. How well that works was measured: every wijk figure was shared out "
        "over its buurten the same way and compared with CBS's own buurt figure. The table "
        "shows that error.",
    ),
    "col_method": ("Methode", "Method"),
    "col_compared": ("Vergeleken buurten", "Buurten compared"),
    "col_median_error": ("Mediane fout", "Median error"),
    "col_median_rel_error": ("Mediane fout (% van het cijfer)", "Median error (% of the figure)"),
    "export_harmonised_help": (
        "Elke editie op dezelfde buurten; elke waarde met de methode (exact, naar huishoudens, "
        "naar oppervlakte), het geschatte deel (0–1) en de foutmarge in de eenheid.",
        "Every edition on the same buurten; every value with its method (exact, by households, "
        "by area), the estimated share (0–1) and the error band in the unit.",
    ),
    "harmonised_line": (
        "geharmoniseerd (buurten van {year})",
        "harmonised ({year} buurten)",
    ),
    "harmonised_title": ("op de buurten van {year}", "on the {year} buurten"),
    "harmonised_switch": (
        "Geharmoniseerd naar de buurtgrenzen van {year}",
        "Harmonised to the {year} buurt boundaries",
    ),
    "harmonised_help": (
        "Elke editie op dezelfde buurten: waar CBS de buurten anders indeelde, is het cijfer "
        "geschat (naar waar huishoudens wonen, anders naar oppervlakte). Geschatte buurten zijn "
        "grijs omlijnd; de muis toont hoeveel geschat is en de gemeten foutmarge.",
        "Every edition on the same buurten: where CBS divided them differently, the figure is "
        "estimated (by where households live, else by area). Estimated buurten have a grey "
        "outline; hovering shows how much was estimated and the measured error band.",
    ),
    "estimated_hover": ("geschat: ", "estimated: "),
    "chart_error": ("De grafiek kon niet worden getekend", "The chart could not be drawn"),
    "band_unmeasured": ("foutmarge niet gemeten", "error band not measured"),
    "exact_hover": ("exact overgenomen", "taken over exactly"),
    "method_households": ("naar huishoudens", "by households"),
    "method_area": ("naar oppervlakte", "by area"),
    "method_exact": ("exact", "exact"),
    "estimated_legend": ("geschat (geharmoniseerd)", "estimated (harmonised)"),
    "preferred_older": (
        "{label}: de nieuwste cijfers zijn van KWB {year}; in KWB {newest} publiceert CBS ze "
        "(nog) niet.",
        "{label}: the newest figures are from KWB {year}; CBS does not publish them in KWB "
        "{newest} (yet).",
    ),
    "newest_empty_income": (
        "KWB {newest} is de nieuwste editie in de opslag; CBS vult de inkomenscijfers van een "
        "editie later aan, dus voor deze indicator is {year} de nieuwste editie met cijfers.",
        "KWB {newest} is the newest edition in the store; CBS adds an edition's income figures "
        "later, so {year} is the newest edition with figures for this indicator.",
    ),
    "about_hosts": ("Opgehaald van", "Retrieved from"),
    "attribution_bbga": (
        "Bron: Gemeente Amsterdam, Onderzoek en Statistiek (Basisbestand Gebieden Amsterdam, "
        "BBGA); gebieden: Gemeente Amsterdam",
        "Source: City of Amsterdam, Research and Statistics (Basisbestand Gebieden Amsterdam, "
        "BBGA); areas: City of Amsterdam",
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
    # table headers and code words shown in tables (dashboard/models/tables.py)
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "col_source": ("Bron", "Source"),
    "boundary_year": ("Jaar van de grenzen", "Boundary year"),
    "col_table": ("Tabel of dataset", "Table or dataset"),
    "col_first_year": ("Eerste jaar", "First year"),
    "col_last_year": ("Laatste jaar", "Last year"),
    "col_responses": ("Opgehaalde antwoorden", "Responses fetched"),
    "col_rows": ("Rijen", "Rows"),
    "col_retrieved_first": ("Eerst opgehaald", "First retrieved"),
    "col_retrieved_last": ("Laatst opgehaald", "Last retrieved"),
    "col_test_data": ("Testgegevens", "Test data"),
    "col_aggregation": ("Naar grotere gebieden", "To larger areas"),
    "col_keys": ("CBS-sleutel per editie", "CBS key per edition"),
    "col_list": ("Lijst", "List"),
    "col_label": ("Gebied", "Area"),
    "col_match": ("Hoe gebieden meetellen", "How areas are matched"),
    "col_match_value": ("Waarde", "Value"),
    "col_document": ("Brondocument", "Source document"),
    "term_sum": ("opgeteld", "summed"),
    "term_mean": ("gemiddelde", "mean"),
    "term_weighted": ("gewogen met {weight}", "weighted by {weight}"),
    "term_gemeente": ("gemeente", "municipality"),
    "term_wijk": ("wijk", "district"),
    "term_buurt": ("buurt", "neighbourhood"),
    "term_stadsdeel": ("stadsdeel", "borough"),
    "term_gebied": ("gebied", "area"),
    "term_bbga": (
        "Amsterdam: Basisbestand Gebieden Amsterdam (OIS)",
        "Amsterdam: area statistics (OIS)",
    ),
    "term_kwb": (
        "CBS Kerncijfers wijken en buurten",
        "CBS key figures for districts and neighbourhoods",
    ),
    "term_flows": ("CBS verhuizingen tussen gemeenten", "CBS moves between municipalities"),
    "term_boundaries": ("PDOK wijk- en buurtgrenzen", "PDOK district and neighbourhood boundaries"),
    "term_amsterdam": ("Amsterdam: gebieden", "Amsterdam: areas"),
    "term_income_flows": ("Geïmporteerde verhuizingen naar inkomen", "Imported moves by income"),
    "term_code_prefix": ("code begint met", "code starts with"),
    "term_wijk_name": ("wijknaam", "district name"),
    "term_buurt_name": ("buurtnaam", "neighbourhood name"),
    "page_flows": ("Verhuisstromen", "Migration flows"),
    "page_suburb": ("Suburbanisatie van armoede", "Suburbanisation of poverty"),
    "years_range": ("Jaren", "Years"),
    "direction": ("Richting", "Direction"),
    "dir_out": ("Uit Amsterdam (vertrek)", "Out of Amsterdam"),
    "dir_in": ("Naar Amsterdam (vestiging)", "Into Amsterdam"),
    "dir_net": ("Saldo (winst voor de gemeente)", "Net (gain for the municipality)"),
    "destinations": ("Gemeenten", "Municipalities"),
    "flow_map_title": (
        "Verhuizingen tussen Amsterdam en de regio, {years}",
        "Moves between Amsterdam and the region, {years}",
    ),
    "trend_title": (
        "Verhuizingen per gemeente door de jaren",
        "Moves per municipality over the years",
    ),
    "sankey_title": (
        "Waar vertrekkers uit Amsterdam heen gaan, {year}",
        "Where people leaving Amsterdam go, {year}",
    ),
    "sankey_year": ("Jaar voor het stroomdiagram", "Year for the flow diagram"),
    "rest_nl": ("rest van Nederland", "rest of the Netherlands"),
    "rates_title": (
        "Per 1.000 inwoners van de gemeente",
        "Per 1,000 residents of the municipality",
    ),
    "persons": ("personen", "persons"),
    "per_1000": ("per 1.000 inwoners", "per 1,000 residents"),
    "merger_note": (
        "Weesp (tot 2022) is bij Amsterdam opgeteld en Beemster (tot 2022) bij Purmerend, ook in de jaren vóór de fusie; "
        "verhuizingen tussen de fusiepartners tellen niet mee. Zo loopt elke reeks over het huidige grondgebied.",
        "Weesp (until 2022) is added to Amsterdam and Beemster (until 2022) to Purmerend, also before the merger; "
        "moves between the merging partners are left out. Each series covers today's territory.",
    ),
    "merger": ("fusie", "merger"),
    "flow_chosen": ("gekozen gemeenten (oranje)", "chosen municipalities (orange)"),
    "flow_other": ("andere gemeenten (blauw)", "other municipalities (blue)"),
    "flow_width": ("lijndikte: {n} personen", "line width: {n} persons"),
    "flows_table_year": ("Jaar", "Year"),
    "flows_table_out": ("Uit Amsterdam", "Out of Amsterdam"),
    "flows_table_in": ("Naar Amsterdam", "Into Amsterdam"),
    "flows_table_net": ("Saldo voor de gemeente", "Net for the municipality"),
    "flows_source": (
        "Bron: CBS, tabel 81734NED, {years}",
        "Source: CBS, table 81734NED, {years}",
    ),
    "income_group": ("Inkomensgroep", "Income group"),
    "income_all": ("Alle personen (CBS 81734NED)", "All persons (CBS 81734NED)"),
    "income_missing": (
        "Met een maatwerktabel van verhuizingen naar inkomensgroep toont deze pagina ook de stromen van huishoudens met een "
        'laag inkomen; importeer die met `python -m pipelines import-flows BESTAND.csv --source "..."` (zie README).',
        "With a custom table of moves by income group this page also shows the flows of low-income households; import it "
        'with `python -m pipelines import-flows FILE.csv --source "..."` (see README).',
    ),
    "income_source": ("Bron: {source} (geïmporteerd)", "Source: {source} (imported)"),
    "estimate_note": (
        "Schatting: aantal huishoudens × aandeel huishoudens met een laag inkomen (CBS, Kerncijfers wijken en buurten). "
        "CBS publiceert het aantal niet zelf; afronding en geheimhouding maken kleine aantallen onzeker.",
        "Estimate: households × share of households with a low income (CBS key figures). CBS does not publish the count "
        "itself; rounding and suppression make small numbers uncertain.",
    ),
    "index_title": (
        "Aandeel van de regio buiten Amsterdam",
        "Share of the region outside Amsterdam",
    ),
    "index_low": (
        "huishoudens met een laag inkomen (schatting)",
        "low-income households (estimate)",
    ),
    "index_all": ("alle huishoudens", "all households"),
    "index_reading_up": (
        "Van {first} tot {last} steeg het aandeel van de huishoudens met een laag inkomen dat buiten Amsterdam woont van "
        "{low_first}% naar {low_last}% ({low_change} procentpunt), sneller dan dat van alle huishoudens "
        "({all_change}): armoede suburbaniseert.",
        "From {first} to {last} the share of low-income households living outside Amsterdam went from {low_first}% to "
        "{low_last}% ({low_change} points), faster than that of all households ({all_change}): poverty is "
        "suburbanising.",
    ),
    "index_reading_down": (
        "Van {first} tot {last} veranderde het aandeel van de huishoudens met een laag inkomen buiten Amsterdam van "
        "{low_first}% naar {low_last}% ({low_change} procentpunt), niet sneller dan dat van alle huishoudens "
        "({all_change}): geen suburbanisatie van armoede in deze jaren.",
        "From {first} to {last} the share of low-income households outside Amsterdam went from {low_first}% to "
        "{low_last}% ({low_change} points), not faster than that of all households ({all_change}): no "
        "suburbanisation of poverty in these years.",
    ),
    "change_title": (
        "Verandering in huishoudens met een laag inkomen (schatting)",
        "Change in low-income households (estimate)",
    ),
    "year_a": ("Van jaar", "From year"),
    "year_b": ("Tot jaar", "To year"),
    "boundary_changed": ("indeling gewijzigd", "boundaries changed"),
    "change_coverage": (
        "Vergeleken: {compared} van {total} {level}. De andere {left} zijn grijs: hun code of grens "
        "in {year_b} bestond niet zo in {year_a}.",
        "Compared: {compared} of {total} {level}. The other {left} are grey: their code or boundary "
        "in {year_b} did not exist like that in {year_a}.",
    ),
    "change_hint": (
        "Alleen gebieden met dezelfde code en grens in beide jaren worden vergeleken. Zijn veel gebieden grijs, kies dan "
        "wijk of gemeente.",
        "Only areas with the same code and boundary in both years are compared. If many are grey, choose wijk or "
        "gemeente.",
    ),
    "destination_detail": (
        "Buurten waar het aandeel laag inkomen het meest steeg",
        "Neighbourhoods where the low-income share rose most",
    ),
    "rise": ("stijging (procentpunt)", "rise (points)"),
    "trend": ("verloop", "trend"),
    "period": ("periode", "period"),
    "page_export": ("Exporteren", "Export"),
    "export_indicators": ("Indicatoren", "Indicators"),
    "choose_destinations": (
        "Kies gemeenten voor de trend en om uit te lichten",
        "Choose municipalities for the trend and to highlight",
    ),
    "all_indicators": ("Alle indicatoren", "All indicators"),
    "all_gemeenten": ("Alle gemeenten in de regio", "All municipalities in the region"),
    "export_layout": ("Vorm", "Layout"),
    "layout_long": (
        "lang (gebied, jaar, indicator, waarde)",
        "long (area, year, indicator, value)",
    ),
    "layout_wide": ("breed (kolom per indicator en jaar)", "wide (column per indicator and year)"),
    "export_focus_only": (
        "Alleen de aandachtsbuurten van de kaartinstelling",
        "Only the focus neighbourhoods of the map setting",
    ),
    "export_size": (
        "{rows} rijen, {columns} kolommen. De eerste rijen, met de kolomnamen van het bestand "
        "(uitgelegd in de README, onder Exports):",
        "{rows} rows, {columns} columns. The first rows, with the file's column names "
        "(explained in the README, under Exports):",
    ),
    "export_format": ("Bestandsformaat", "File format"),
    "export_separator": ("Scheidingsteken (CSV)", "Separator (CSV)"),
    "export_prepare": ("Maak bestand", "Prepare file"),
    "export_download": ("Download {name}", "Download {name}"),
    "export_cli": (
        "Hetzelfde vanaf de opdrachtregel: `python -m pipelines export --format csv -o bestand.csv` "
        "(zie README). Lege cellen zijn ontbrekende of geheime cijfers, nooit 0.",
        "The same from the command line: `python -m pipelines export --format csv -o file.csv` (see README). "
        "Empty cells are missing or confidential figures, never 0.",
    ),
    "page_present": ("Presenteren", "Present"),
    "deck": ("Presentatie", "Deck"),
    "deck_upload": (
        "Of laad een eigen presentatiebestand (JSON)",
        "Or load your own deck file (JSON)",
    ),
    "previous": ("← Vorige", "← Previous"),
    "next": ("Volgende →", "Next →"),
    "slide_of": ("Dia {n} van {total}", "Slide {n} of {total}"),
    # deck checks (dashboard/deck.py); values from the file are quoted, and shown as text
    "deck_slide": ("dia {n}", "slide {n}"),
    "deck_field": ("veld", "field"),
    "deck_got": ("gegeven:", "given:"),
    "deck_missing": ("ontbreekt", "is missing"),
    "deck_extra": (
        "is geen veld van dit soort dia (velden: type, title, caption, notes en die van het type)",
        "is not a field of this slide type (fields: type, title, caption, notes and the type's own)",
    ),
    "deck_int": ("moet een heel getal zijn, zoals 2023", "must be a whole number, such as 2023"),
    "deck_bool": ("moet true of false zijn", "must be true or false"),
    "deck_text": ("moet tekst zijn", "must be text"),
    "deck_list": ("moet een lijst zijn", "must be a list"),
    "deck_too_long": (
        "is te lang (hoogstens {limit} tekens)",
        "is too long (at most {limit} characters)",
    ),
    "deck_too_many": (
        "heeft te veel items (hoogstens {limit})",
        "has too many items (at most {limit})",
    ),
    "deck_too_few": ("mag niet leeg zijn", "must not be empty"),
    "deck_empty": ("mag niet leeg zijn", "must not be empty"),
    "deck_choice": ("moet een van deze zijn: {choices}", "must be one of: {choices}"),
    "deck_type": ("moet een van deze zijn: {choices}", "must be one of: {choices}"),
    "deck_year": (
        "moet een jaartal zijn tussen 1900 en 2100",
        "must be a year between 1900 and 2100",
    ),
    "deck_code": (
        "moet CBS-codes bevatten, zoals GM0363 of BU03630000",
        "must hold CBS codes, such as GM0363 or BU03630000",
    ),
    "deck_invalid": ("is ongeldig", "is invalid"),
    "deck_indicator": (
        "veld 'indicator': {value} staat niet in de catalogus van deze opslag",
        "field 'indicator': {value} is not in this store's catalogue",
    ),
    "deck_edition": (
        "veld 'year': {year} is geen editie van deze indicator (de opslag heeft {first}–{last})",
        "field 'year': {year} is not an edition of this indicator (the store has {first}–{last})",
    ),
    "deck_flow_year": (
        "veld 'year': {year} heeft geen verhuiscijfers (de opslag heeft {first}–{last})",
        "field 'year': {year} has no moves (the store has {first}–{last})",
    ),
    "deck_too_big": (
        "het bestand is groter dan {limit} kB; een presentatie is een klein bestand",
        "the file is larger than {limit} kB; a deck is a small file",
    ),
    "deck_syntax": ("regel {line}, kolom {column}: {msg}", "line {line}, column {column}: {msg}"),
    "deck_nested": (
        "het bestand is dieper genest dan {limit} niveaus",
        "the file nests deeper than {limit} levels",
    ),
    "deck_no_slides": (
        "het bestand moet een object zijn met een niet-lege lijst 'slides'",
        "the file must be an object with a non-empty 'slides' list",
    ),
    "deck_too_many_slides": (
        "{n} dia's; hoogstens {limit}",
        "{n} slides; at most {limit}",
    ),
    "deck_title": (
        "'title' moet tekst zijn van hoogstens {limit} tekens",
        "'title' must be text of at most {limit} characters",
    ),
    "slide_broken": (
        "Deze dia kan niet worden getoond:",
        "This slide cannot be shown:",
    ),
    "deck_broken": (
        "Het presentatiebestand is ongeldig:",
        "The deck file is invalid:",
    ),
    "play": ("Afspelen", "Play"),
    "minutes": ("min", "min"),
    "notes": ("Aantekeningen", "Notes"),
    "no_notes": ("(geen aantekeningen bij deze dia)", "(no notes for this slide)"),
    "next_slide": ("Volgende dia", "Next slide"),
    "last_slide": ("(dit is de laatste dia)", "(this is the last slide)"),
    "caption_label": ("Onderschrift", "Caption"),
    "open_audience": ("Open het publieksscherm", "Open the audience window"),
    "audience_hint": (
        "Open de link in een tweede venster (op de projector); beide vensters volgen elkaar.",
        "Open the link in a second window (on the projector); both windows follow each other.",
    ),
    "open_presenter": ("Open de presentatorweergave", "Open the presenter view"),
    "deck_tools": ("Presentatie laden, opslaan of afdrukken", "Load, save or print the deck"),
    "handout_notes": ("Met aantekeningen", "With notes"),
    "handout_make": ("Maak hand-out (PDF)", "Make hand-out (PDF)"),
    "handout_busy": ("Hand-out wordt afgedrukt…", "Printing the hand-out…"),
    "handout_download": ("Download de hand-out", "Download the hand-out"),
    "no_deck": (
        "Geen presentatie gevonden in de map decks/.",
        "No deck found in the decks/ folder.",
    ),
    "pause": ("Pauze", "Pause"),
    "speed": ("Snelheid (seconden per jaar)", "Speed (seconds per year)"),
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
