"""Presentation mode ("Presenteren") for workshops: full width, large type, slides from a deck.

The page's state is a `DeckView` (``deck``, ``slide``, ``view``, ``lang``). Everything comes
from the local store: it works without wifi. Texts from a deck file are shown as text.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import data, deck
from dashboard.components.keys import arrow_keys
from dashboard.i18n import t
from dashboard.pages import common
from dashboard.state import DeckView, Notice
from dashboard.views.slides import SlideModel, slide_model

STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container { max-width: 100%; padding-top: 1.5rem; }
h1 { font-size: 44px !important; color: #000; }
h2, h3 { font-size: 34px !important; color: #000; }
p, label, li, .stMarkdown, .stCaption, button { font-size: 20px !important; }
</style>
"""


def load_deck(ref: data.StoreRef, view: DeckView) -> deck.Deck | None:
    """The uploaded deck, or the shipped deck named in the URL."""
    indicators = set(data.options(ref).indicators)
    years = {int(y) for y in data.areas_table(ref)["year"].unique()}
    uploaded = st.session_state.get("p_upload")
    if uploaded is not None:
        text = uploaded.getvalue().decode("utf-8", errors="replace")
        return deck.parse_deck(text, indicators, years)
    shipped = deck.deck_files()
    if view.deck is None or view.deck not in shipped:
        return None
    return deck.parse_deck(shipped[view.deck].read_text(encoding="utf-8"), indicators, years)


def show_slide(model: SlideModel, lang: str) -> None:
    """The slide's title and caption as text (a deck is a shared file), then its figure."""
    st.title(model.title, anchor=False)
    if model.caption:
        st.text(model.caption)
    if model.error:
        st.error(t("slide_broken", lang))
        st.text(model.error)
        return
    st.plotly_chart(
        model.figure,
        width="stretch",
        config={
            "displaylogo": False,
            "topojsonURL": data.topojson_url(),
            "toImageButtonOptions": {"filename": model.filename, "scale": 2},
        },
    )
    if model.animated:
        st.slider(t("speed", lang), 0.3, 3.0, 1.0, 0.1, key="p_speed")


def navigation(model: SlideModel, view: DeckView) -> None:
    lang = view.lang
    previous, following = t("previous", lang), t("next", lang)
    c1, c2, c3 = st.columns([1, 2, 1])
    if c1.button(previous, key="p_prev", disabled=model.position == 1, width="stretch"):
        common.write_view(replace(view, slide=model.position - 1))
        st.rerun()
    c2.text(f"{t('slide_of', lang, n=model.position, total=model.total)} · {model.deck_title}")
    if c3.button(following, key="p_next", disabled=model.position == model.total, width="stretch"):
        common.write_view(replace(view, slide=model.position + 1))
        st.rerun()
    arrow_keys(previous, following)
    st.caption(t("present_keys", lang))


def upload(current: deck.Deck | None, lang: str) -> None:
    with st.expander(t("deck_upload", lang)):
        st.file_uploader(
            t("deck_upload", lang), type=["json"], key="p_upload", label_visibility="collapsed"
        )
        if current is not None:
            st.download_button(
                "JSON",
                deck.to_json(current),
                file_name="presentatie.json",
                mime="application/json",
                key="p_save",
            )


def render() -> None:
    ref = data.current_store()
    view = common.read_view(ref, DeckView)
    st.html(STYLE)
    current = load_deck(ref, view)
    if current is None or current.error:
        st.error(t("deck_broken", view.lang))
        st.text(current.error if current else "no deck")
        upload(current, view.lang)
        return
    if view.slide > len(current.slides):
        common.notice(Notice("slide", str(view.slide)), view.lang)
        view = replace(view, slide=1)
    common.write_view(view)
    slide = current.slides[view.slide - 1]
    speed = int(float(st.session_state.get("p_speed", 1.0)) * 1000)
    inputs = None if slide.error else data.slide_data(ref, slide)
    model = slide_model(
        current, view.slide, inputs, view.lang, speed, data.attribution(ref, view.lang)
    )
    show_slide(model, view.lang)
    navigation(model, view)
    upload(current, view.lang)


if __name__ == "__main__":
    render()
