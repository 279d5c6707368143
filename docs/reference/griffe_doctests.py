"""Griffe extension: render two reStructuredText habits of the docstrings as Markdown.

numpy-style ``Examples`` sections are parsed as code by griffe itself; a ``>>>`` session in a
module's or function's free text (the project's style puts many there) would otherwise run together
as one Markdown paragraph. This wraps each such session, up to the next blank line, in a
``pycon`` fence. Sphinx roles (``:func:`name```) become inline code. The docstrings themselves
are unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADER = re.compile(r"^-{3,}\s*$")
_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|obj|exc):`~?([^`]+)`")


def fence_doctests(text: str) -> str:
    """Wrap free-text ``>>>`` sessions of a docstring in ```pycon fences."""
    lines = text.splitlines()
    out: list[str] = []
    in_fence = in_examples = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if i + 1 < len(lines) and _HEADER.match(lines[i + 1].strip()) and stripped:
            in_examples = stripped == "Examples"
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and not in_examples and line.startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class FenceDoctests(griffe.Extension):
    """Fence free-text doctests and unwrap Sphinx roles in every loaded docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
        if obj.docstring is not None and ":`" in obj.docstring.value:
            obj.docstring.value = _ROLE.sub(r"`\1`", obj.docstring.value)
