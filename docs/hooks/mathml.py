"""MkDocs hook: typeset the pages' math as MathML at build time, so the site needs no network.

``pymdownx.arithmatex`` (generic mode) leaves each formula as ``<span class="arithmatex">\\(..\\)
</span>`` or ``<div class="arithmatex">\\[..\\]</div>``; this hook replaces it by the MathML that
``latex2mathml`` writes, which browsers render natively (Chromium >= 109, Firefox, Safari). A
formula latex2mathml cannot read fails the build, naming the page and the formula.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_TAG = re.compile(r"\\tag\{([^}]*)\}")


def _mathml(match: re.Match, page: str) -> str:
    tag, body = match.groups()
    tex = html.unescape(body).strip()
    if tex[:2] in ("\\(", "\\["):
        tex = tex[2:-2]
    number = _TAG.search(tex)  # an equation number, set at the right margin
    tex = _TAG.sub("", tex)
    display = "block" if tag == "div" else "inline"
    try:
        mathml = convert(tex, display=display)
    except Exception as err:  # latex2mathml raises several exception types
        raise ValueError(f"{page}: cannot typeset the formula {tex!r}: {err}") from err
    if number:
        mathml += f'<span class="eq-number">({html.escape(number.group(1))})</span>'
    return f'<{tag} class="arithmatex">{mathml}</{tag}>'


def on_page_content(html_text: str, page, **_kwargs) -> str:
    return _MATH.sub(lambda m: _mathml(m, page.file.src_uri), html_text)
