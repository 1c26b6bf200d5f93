"""User-supplied text (URL values, deck files, imported names) shown as text, never as markup.

Streamlit renders Markdown (links, images that the browser fetches, math, colour directives)
in titles, captions and messages. A value that came from a link or a file goes in as an inline
code span, which Markdown shows literally.
"""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def literal(text: object) -> str:
    """`text` for a Markdown element that must look like ordinary text (a title): every ASCII
    punctuation character backslash-escaped (CommonMark shows it as it is: no link, image,
    emphasis, HTML, math or colour directive), on one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def code_span(text: object) -> str:
    """`text` as one inline Markdown code span: every character shown as it is."""
    flat = " ".join(str(text).split()) or " "
    longest = max((len(m) for m in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {flat} {fence}"


def strip_code_spans(markdown: str) -> str:
    """`markdown` without its code spans (what Markdown would interpret), for tests and checks."""
    out, i = [], 0
    while i < len(markdown):
        run = _BACKTICKS.match(markdown, i)
        if not run:
            out.append(markdown[i])
            i += 1
            continue
        fence = run.group()
        close = re.compile(rf"(?<!`){fence}(?!`)").search(markdown, run.end())
        if close is None:
            out.append(fence)
            i = run.end()
        else:
            i = close.end()
    return "".join(out)
