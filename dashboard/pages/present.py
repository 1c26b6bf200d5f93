"""Presentation mode ("Presenteren") for workshops on a projector, offline.

The page's state is a `DeckView` (``deck``, ``slide``, ``view``, ``sync``, ``notes``,
``lang``). Three views of one deck:

- ``audience``: the slide fills the screen (no Streamlit header, toolbar or sidebar); arrow
  keys and two small buttons step through it;
- ``presenter``: the current slide, its speaker notes, the next slide and a clock; a link
  opens the audience window, and the two stay in step through their shared ``sync`` code;
- ``handout``: every slide one after another, a page each when printed (the PDF hand-out).

Texts from a deck file are shown as text (`st.text`), never as Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, deck, sync
from dashboard.components.clock import clock
from dashboard.components.keys import slide_keys
from dashboard.i18n import t
from dashboard.models.slides import SlideModel
from dashboard.pages import common
from dashboard.palette import INK
from dashboard.routes import PAGES
from dashboard.safe import literal
from dashboard.state import DeckView, Notice

PAGE = PAGES["presenteren"].file

# Projector layout: no header, toolbar, decoration or sidebar; the title whole at the top; the
# chart takes what the title, caption and the small navigation leave (at least 70% of the
# screen's height); large type everywhere.
STYLE = (
    """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  max-width: 100% !important; padding: 1.5vh 2vw 0.5vh 2vw !important; }
h1 { font-size: clamp(28px, 4.4vh, 60px) !important; line-height: 1.15 !important;
     color: INK; padding: 0 !important; margin: 0 !important; }
[data-testid="stText"], p, label, button { font-size: clamp(18px, 2.3vh, 28px) !important; }
.st-key-presenter-notes [data-testid="stText"] { font-size: 26px !important; line-height: 1.4; }
[data-testid="stElementContainer"] { margin-bottom: 0 !important; }
</style>
"""
).replace("INK", INK)

# The hand-out: one slide per printed page at a fixed size, nothing but the slides.
HANDOUT_STYLE = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  max-width: 100% !important; padding: 0 1cm !important; }
div[class*="st-key-handout-slide"] { break-before: page; page-break-before: always; }
div.st-key-handout-slide-1 { break-before: auto; page-break-before: auto; }
h1 { font-size: 28px !important; }
[data-testid="stText"] { font-size: 15px !important; }
@media print {
  [data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp { overflow: visible !important;
    height: auto !important; position: static !important; }
}
</style>
"""

CHART_CONFIG = {"displaylogo": False, "responsive": True}
#: The chart's share of the window's height: audience view, presenter view; hand-out in px.
AUDIENCE_SHARE, PRESENTER_SHARE, HANDOUT_HEIGHT = 0.72, 0.46, 520


def load_deck(ref: data.StoreRef, view: DeckView) -> deck.Deck | None:
    """The uploaded deck, or the shipped deck named in the URL."""
    uploaded = st.session_state.get("p_upload")
    if uploaded is not None:
        text = uploaded.getvalue().decode("utf-8", errors="replace")
        return deck.parse_deck(text, data.deck_context(ref, view.lang))
    if view.deck is None:
        return None
    return data.shipped_deck(ref, view.deck, view.lang)


def model_of(
    ref: data.StoreRef, current: deck.Deck, position: int, lang: str, height: int
) -> SlideModel:
    """Slide `position` with its chart `height` px high (cached: a step back, the other
    window or the next visit finds it ready)."""
    speed = int(float(st.session_state.get("p_speed", 1.0)) * 1000)
    return data.slide_model(ref, current, position, lang, speed, height)


def figure(model: SlideModel, key: str, lang: str) -> None:
    """The slide's chart (or, for a broken slide, what is wrong, as text)."""
    if model.error or model.figure is None:
        st.error(t("slide_broken", lang))
        st.text(model.error or "")
        return
    config = {
        **CHART_CONFIG,
        "topojsonURL": data.topojson_url(),
        "toImageButtonOptions": {"filename": model.filename, "scale": 2},
    }
    with st.container(key=key):
        st.plotly_chart(model.figure, width="stretch", config=config, key=f"chart-{key}")


def move(view: DeckView, position: int) -> None:
    """Go to slide `position`: in the URL, and for the windows that share the sync code."""
    if view.sync and view.deck:
        data.slide_positions().set(view.sync, view.deck, position)
    common.write_view(replace(view, slide=position))
    st.rerun()


def navigation(model: SlideModel, view: DeckView) -> None:
    """Small previous/next buttons (the arrow keys press them) and where we are."""
    lang = view.lang
    previous, following = t("previous", lang), t("next", lang)
    c1, c2, c3 = st.columns([1, 4, 1], vertical_alignment="center")
    if c1.button(previous, key="p_prev", disabled=model.position == 1, width="stretch"):
        move(view, model.position - 1)
    c2.text(f"{t('slide_of', lang, n=model.position, total=model.total)} · {model.deck_title}")
    if c3.button(following, key="p_next", disabled=model.position == model.total, width="stretch"):
        move(view, model.position + 1)


def audience(ref: data.StoreRef, current: deck.Deck, view: DeckView, window: int) -> None:
    """The slide full screen: title, caption, chart, and the small navigation."""
    height = int(window * AUDIENCE_SHARE)
    model = model_of(ref, current, view.slide, view.lang, height)
    st.title(literal(model.title), anchor=False)
    if model.caption:
        st.text(model.caption)
    figure(model, "slide-figure", view.lang)
    if model.animated:
        st.slider(t("speed", view.lang), 0.3, 3.0, 1.0, 0.1, key="p_speed")
    navigation(model, view)
    if view.slide < model.total:  # after the slide is on screen: ready the next one
        model_of(ref, current, view.slide + 1, view.lang, height)


def presenter(
    ref: data.StoreRef, current: deck.Deck, view: DeckView, code: str, window: int
) -> None:
    """What the facilitator sees: the slide, its notes, the next slide, a clock, the link."""
    lang = view.lang
    model = model_of(ref, current, view.slide, lang, int(window * PRESENTER_SHARE))
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.title(literal(model.title), anchor=False)
        if model.caption:
            st.text(model.caption)
        figure(model, "presenter-figure", lang)
        navigation(model, view)
    with right:
        clock(code, t("minutes", lang))
        st.subheader(t("notes", lang), anchor=False)
        with st.container(key="presenter-notes"):
            st.text(model.notes or t("no_notes", lang))
        st.subheader(t("next_slide", lang), anchor=False)
        st.text(model.next_title or t("last_slide", lang))
        if model.next_caption:
            st.text(t("caption_label", lang) + ": " + model.next_caption[:200])
        audience_link(view, code)


def audience_link(view: DeckView, code: str) -> None:
    """The link that opens the audience window in step with this one."""
    params = {"deck": view.deck or "", "slide": str(view.slide), "sync": code, "lang": view.lang}
    st.page_link(PAGE, label=t("open_audience", view.lang), query_params=params)
    st.caption(t("audience_hint", view.lang))


def handout(ref: data.StoreRef, current: deck.Deck, view: DeckView) -> None:
    """Every slide one after another, a printed page each (animated maps at their last year)."""
    st.html(HANDOUT_STYLE)
    for position, slide in enumerate(current.slides, start=1):
        still = replace(slide, fields={**slide.fields, "animate": False})
        printed = replace(
            current,
            slides=tuple(
                still if n == position else s for n, s in enumerate(current.slides, start=1)
            ),
        )
        model = model_of(ref, printed, position, view.lang, HANDOUT_HEIGHT)
        with st.container(key=f"handout-slide-{position}"):
            st.title(literal(model.title), anchor=False)
            if model.caption:
                st.text(model.caption)
            figure(model, f"handout-figure-{position}", view.lang)
            if view.notes and model.notes:
                st.text(f"{t('notes', view.lang)}: {model.notes}")
            st.text(
                f"{t('slide_of', view.lang, n=position, total=model.total)} · {model.deck_title}"
            )
    st.container(key="handout-end").text("")


@st.fragment(run_every=1.0)
def follow(view: DeckView) -> None:
    """Every second: if another window of this presentation moved, move along."""
    if not (view.sync and view.deck):
        return
    position = data.slide_positions().get(view.sync, view.deck)
    if position is not None and position != view.slide:
        common.write_view(replace(view, slide=position))
        st.rerun(scope="app")


def in_step(view: DeckView, total: int) -> DeckView:
    """The slide the windows of this presentation are at (this window's URL starts it)."""
    if not (view.sync and view.deck):
        return view
    positions = data.slide_positions()
    shared = positions.get(view.sync, view.deck)
    if shared is None or shared > total:
        positions.set(view.sync, view.deck, view.slide)
        return view
    return replace(view, slide=shared)


def tools(ref: data.StoreRef, current: deck.Deck | None, view: DeckView) -> None:
    """Load a deck file, save the deck, print the hand-out, open the presenter view."""
    lang = view.lang
    with st.expander(t("deck_tools", lang)):
        st.file_uploader(t("deck_upload", lang), type=["json"], key="p_upload")
        if current is None:
            return
        st.download_button(
            "JSON",
            deck.to_json(current),
            file_name="presentatie.json",
            mime="application/json",
            key="p_save",
        )
        if view.deck and st.session_state.get("p_upload") is None:
            handout_button(ref, view)
            params = {
                "deck": view.deck,
                "slide": str(view.slide),
                "view": "presenter",
                "lang": lang,
            }
            st.page_link(PAGE, label=t("open_presenter", lang), query_params=params)


def handout_button(ref: data.StoreRef, view: DeckView) -> None:
    lang = view.lang
    notes = st.checkbox(t("handout_notes", lang), key="p_handout_notes")
    if st.button(t("handout_make", lang), key="p_handout"):
        path = deck.deck_files()[str(view.deck)]
        with st.spinner(t("handout_busy", lang)):
            pdf = data.handout_pdf(ref, str(view.deck), path.stat().st_mtime, lang, notes)
        st.download_button(
            t("handout_download", lang),
            pdf,
            file_name=f"{view.deck}.pdf",
            mime="application/pdf",
            key="p_handout_pdf",
        )


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, DeckView)
    st.html(STYLE)
    current = load_deck(ref, view)
    if current is None or current.error:
        st.error(t("deck_broken", view.lang))
        st.text(current.error if current and current.error else t("no_deck", view.lang))
        tools(ref, current, view)
        return
    if view.slide > len(current.slides):
        common.notice(Notice("slide", str(view.slide)), view.lang)
        view = replace(view, slide=1)
    if view.view == "handout":
        handout(ref, current, view)
        return
    code = view.sync or (sync.new_code() if view.view == "presenter" else None)
    view = in_step(replace(view, sync=code), len(current.slides))
    common.write_view(view)
    window = slide_keys(t("previous", view.lang), t("next", view.lang))
    if view.view == "presenter" and code:
        presenter(ref, current, view, code, window)
    else:
        audience(ref, current, view, window)
    follow(view)
    tools(ref, current, view)


if __name__ == "__main__":
    render()
