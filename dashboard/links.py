"""Links between pages, built from typed views (never by hand), so a link restores a view."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from dashboard.state import DeckView, ProfileView, view_to_params


def page_link(path: str, view: object) -> str:
    """The relative URL of page `path` showing `view` (e.g. ``buurtprofiel?area=BU03630001``)."""
    query = urlencode(view_to_params(view), quote_via=quote, safe=",")
    return f"{path}?{query}" if query else path


def profile_link(area: str, lang: str) -> str:
    """The profile of one area."""
    return page_link("buurtprofiel", ProfileView(area=area, lang=lang))


def profile_prefix(lang: str) -> str:
    """The profile URL up to the area code, for the map's click handler (it appends the code)."""
    return page_link("buurtprofiel", ProfileView(lang=lang)) + "&area="


def deck_link(view: DeckView) -> str:
    """One slide of a deck, in the audience or the presenter window."""
    return page_link("presenteren", view)
