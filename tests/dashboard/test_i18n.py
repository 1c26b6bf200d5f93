"""The interface texts: every key used, both languages with the same placeholders."""

from __future__ import annotations

import re
import string

from dashboard.i18n import TEXTS
from geodata.config import PROJECT_DIR


def sources() -> str:
    """The code that may ask for a text (the dashboard without the texts themselves)."""
    files = [p for p in (PROJECT_DIR / "dashboard").rglob("*.py") if p.name != "i18n.py"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_text_is_used():
    code = sources()
    # keys built at run time: t(f"break_{kind}"), t(f"dir_{direction}"), ...
    prefixes = set(re.findall(r'f"([a-z_]+)\{', code))
    unused = [
        key
        for key in TEXTS
        if not re.search(rf"[\"']{re.escape(key)}[\"']", code)
        and not any(key.startswith(prefix) for prefix in prefixes)
    ]
    assert unused == []


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_share_their_placeholders():
    differ = {
        key: (placeholders(nl), placeholders(en))
        for key, (nl, en) in TEXTS.items()
        if placeholders(nl) != placeholders(en)
    }
    assert differ == {}


def test_every_text_has_both_languages():
    assert all(nl.strip() and en.strip() for nl, en in TEXTS.values())
