"""The pages: each page's file (named in English), its Dutch URL path (the URL contract), its
title and its typed URL state. Navigation, links, the tests and the docs test read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.state import (
    DeckView,
    ExportView,
    FlowsView,
    MapView,
    PageView,
    ProfileView,
    SuburbView,
)

PAGES_DIR = "dashboard/pages"  # relative to streamlit_app.py


@dataclass(frozen=True)
class Page:
    """One page of the app."""

    name: str  # its file in dashboard/pages/, in English
    url_path: str  # its path in the URL contract, in Dutch
    title_key: str  # the i18n key of its title
    view: type  # its typed URL state (dashboard.state)

    @property
    def file(self) -> str:
        return f"{PAGES_DIR}/{self.name}.py"


#: Every page, in the order of the navigation, keyed by URL path.
PAGES: dict[str, Page] = {
    page.url_path: page
    for page in (
        Page("map", "kaart", "page_map", MapView),
        Page("profile", "buurtprofiel", "page_profile", ProfileView),
        Page("flows", "verhuisstromen", "page_flows", FlowsView),
        Page("suburbanisation", "suburbanisatie", "page_suburb", SuburbView),
        Page("export", "exporteren", "page_export", ExportView),
        Page("present", "presenteren", "page_present", DeckView),
        Page("about", "over", "page_about", PageView),
    )
}

#: The page shown while the store is empty or damaged (at the map's path).
EMPTY = Page("empty", "kaart", "empty_title", PageView)

#: The typed URL state of each page, by URL path.
VIEWS: dict[str, type] = {path: page.view for path, page in PAGES.items()}
