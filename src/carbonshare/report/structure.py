"""What a written report holds, read back from its HTML: sections, blocks, tables, images.

The report tests of every study use it to check the structural promises of a report without
a browser: the standard sections (:data:`carbonshare.report.html.SECTIONS`) are present, no
figure is shown twice, table headers carry no stray ``index`` column, embedded images stay
within :data:`carbonshare.report.figures.MAX_PNG_PIXELS`.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Block", "ReportStructure", "read_report"]


@dataclass
class Block:
    """One block of a report: kind (table, plotly, image, markdown, json), section and title."""

    kind: str
    section: str
    title: str
    headers: list[str] = field(default_factory=list)
    """Column headers of a table."""
    rows: int = 0
    """Rows of a table."""
    image_size: tuple[int, int] | None = None
    """Width and height in pixels of an embedded PNG."""


@dataclass
class ReportStructure:
    """Sections and blocks of a report, in page order."""

    sections: list[str]
    blocks: list[Block]

    def missing_sections(self, required: tuple[str, ...] | None = None) -> list[str]:
        """Required sections (default the standard ones) the report lacks; a section
        "Results: trade" counts as "Results"."""
        from carbonshare.report.html import SECTIONS

        have = {s.split(":")[0].strip() for s in self.sections}
        return [s for s in (required or SECTIONS) if s not in have]

    def duplicate_figures(self) -> list[str]:
        """Figures (interactive or image) shown more than once, by normalised title.

        A static and an interactive map of the same field ("Map: egalitarian" and
        "map egalitarian") count as the same figure.
        """
        seen: dict[str, int] = {}
        for b in self.blocks:
            if b.kind in ("plotly", "image"):
                key = re.sub(r"[^a-z0-9]+", " ", b.title.lower()).strip()
                key = re.sub(r"^map ", "", key)
                seen[key] = seen.get(key, 0) + 1
        return [k for k, n in seen.items() if n > 1]

    def problems(self) -> list[str]:
        """Every structural defect found, as sentences ([] for a sound report): missing
        standard sections, figures shown twice, tables with a stray ``index`` column,
        images larger than :data:`carbonshare.report.figures.MAX_PNG_PIXELS` a side."""
        from carbonshare.report.figures import MAX_PNG_PIXELS

        out = [f"section {s!r} is missing" for s in self.missing_sections()]
        out += [f"figure {t!r} is shown twice" for t in self.duplicate_figures()]
        out += [
            f"table {b.title!r} has a stray 'index' column"
            for b in self.blocks
            if b.kind == "table" and "index" in b.headers
        ]
        out += [
            f"image {b.title!r} is {b.image_size[0]} x {b.image_size[1]} px"
            for b in self.blocks
            if b.image_size and max(b.image_size) > MAX_PNG_PIXELS
        ]
        return out

    def table(self, title_start: str) -> Block:
        """The first table whose title starts with ``title_start``."""
        for b in self.blocks:
            if b.kind == "table" and b.title.startswith(title_start):
                return b
        raise KeyError(f"no table titled {title_start!r}...; tables: {self.titles('table')}")

    def titles(self, kind: str | None = None) -> list[str]:
        """Titles of the blocks (of one kind)."""
        return [b.title for b in self.blocks if kind is None or b.kind == kind]


_SECTION = re.compile(r'<h2 class="cs-section" id="[^"]*">(.*?)</h2>')
_BLOCK = re.compile(r'<div class="cs-block cs-(\w+)" id="[^"]*">')


def read_report(path: str | Path) -> ReportStructure:
    """Parse a report written by :class:`carbonshare.report.Report`."""
    from PIL import Image

    text = Path(path).read_text(encoding="utf-8")
    events = [(m.start(), "section", m) for m in _SECTION.finditer(text)]
    events += [(m.start(), "block", m) for m in _BLOCK.finditer(text)]
    events.sort(key=lambda e: e[0])
    sections: list[str] = []
    blocks: list[Block] = []
    current = ""
    for k, (_pos, what, m) in enumerate(events):
        if what == "section":
            current = html.unescape(m.group(1))
            sections.append(current)
            continue
        end = events[k + 1][0] if k + 1 < len(events) else len(text)
        body = text[m.end() : end]
        kind = m.group(1)
        title_m = re.match(r"<h3>(.*?)</h3>", body)
        title = html.unescape(title_m.group(1)) if title_m else ""
        if kind == "json":
            sm = re.search(r"<summary>(.*?)</summary>", body)
            title = html.unescape(sm.group(1)) if sm else ""
        block = Block(kind, current, title)
        if kind == "table":
            head = re.search(r"<thead>(.*?)</thead>", body, re.S)
            block.headers = [
                html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))
            ] if head else []  # fmt: skip
            tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S)
            block.rows = tbody.group(1).count("<tr>") if tbody else 0
        if kind == "image":
            img = re.search(r'src="data:image/png;base64,([^"]+)"', body)
            if img:
                with Image.open(io.BytesIO(base64.b64decode(img.group(1)))) as im:
                    block.image_size = im.size
        blocks.append(block)
    return ReportStructure(sections, blocks)
