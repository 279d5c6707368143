"""The documentation site builds in strict mode, and its build helpers do what they say.

``mkdocs build --strict`` fails on any warning: a link to a missing page or anchor, a page missing
from the nav, a docstring the API reference cannot parse or an unresolved cross-reference.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_builds_strict(tmp_path: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), os.environ.get("PYTHONPATH", "")) if p
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - start
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(
        warnings or proc.stderr.splitlines()[-40:]
    )
    site = tmp_path / "site"
    # the pages a reader looks for, with the API reference and CLI reference filled in
    for page in ("index.html", "methods/index.html", "tutorial/first-run/index.html"):
        assert (site / page).is_file(), page
    games = (site / "reference/games/index.html").read_text(encoding="utf-8")
    assert "two_stage_shapley" in games and "Harsanyi" in games
    cli = (site / "reference/cli/index.html").read_text(encoding="utf-8")
    assert "carbonshare run alliances" in cli and "--print-config" in cli
    assert "cli-reference" not in cli  # the marker was replaced
    methods = (site / "methods/index.html").read_text(encoding="utf-8")
    for anchor in ("a1", "a6", "a7", "b2", "b6", "c1", "c2", "c3"):
        assert f'id="{anchor}"' in methods, anchor
    # every $$ block of the method reference is typeset, and no currency "$" became math
    display_blocks = (REPO / "docs/methods.md").read_text(encoding="utf-8").count("\n$$\n") // 2
    assert methods.count('<div class="arithmatex">') == display_blocks > 10
    stray = [p for p in site.rglob("*.html") if '<span class="arithmatex">' in p.read_text("utf-8")]
    assert not stray, f"inline math where prose was meant: {stray}"
    # plain-text formulas were not read as Markdown (E_{i}... as attributes or emphasis)
    assert "<em " not in methods and "<strong " not in methods
    # the math is MathML written at build time, with its equation numbers: no MathJax
    assert methods.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">') == (
        display_blocks
    )
    assert '<span class="eq-number">(8)</span>' in methods and "\\tag" not in methods
    # the site opens offline: no page loads a script, style sheet, font or image from elsewhere
    remote = re.compile(r'<(?:script|img)[^>]+src="https?://|<link[^>]+href="https?://[^"]+"[^>]*'
                        r'rel="(?:stylesheet|preconnect)|<link[^>]+rel="(?:stylesheet|preconnect)"'
                        r'[^>]+href="https?://')  # fmt: skip
    loading = [p.relative_to(site) for p in site.rglob("*.html") if remote.search(p.read_text())]
    assert not loading, f"pages loading remote resources: {loading[:5]}"
    assert seconds < 300, f"the docs build took {seconds:.0f} s"


def test_fence_doctests_wraps_free_text_sessions_only() -> None:
    ext = _load(REPO / "docs/reference/griffe_doctests.py")
    text = (
        "Intro.\n\n>>> f(1)\n2\n\nMore text.\n\nExamples\n--------\n>>> g()\n3\n\n"
        "```python\n>>> h()\n```\n"
    )
    out = ext.fence_doctests(text)
    assert "```pycon\n>>> f(1)\n2\n```" in out
    assert "```pycon\n>>> g()" not in out  # numpy Examples sections are griffe's
    assert out.count("```pycon") == 1


def test_cli_reference_lists_every_command() -> None:
    hook = _load(REPO / "docs/reference/cli_hook.py")
    markdown = hook.cli_markdown()
    for command in (
        "carbonshare data info",
        "carbonshare game solve",
        "carbonshare run principles",
    ):
        assert f"`{command}`" in markdown, command
    assert "| <code>-o, --out" in markdown


def test_every_public_package_has_a_reference_page() -> None:
    import pkgutil

    import carbonshare

    reference = "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "docs/reference").glob("*.md")
    )
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    internal = {"cli", "__main__"}  # the CLI has its own generated page
    missing = [
        module.name
        for module in pkgutil.iter_modules(carbonshare.__path__)
        if not module.name.startswith("_")
        and module.name not in internal
        and f"::: carbonshare.{module.name}" not in reference
    ]
    assert not missing, (
        f"no API reference for {['carbonshare.' + m for m in missing]}: add "
        "docs/reference/<name>.md holding a title, one sentence and '::: carbonshare.<name>', "
        "and a line for it under 'Reference' in the nav of mkdocs.yml"
    )
    pages = [p.name for p in (REPO / "docs/reference").glob("*.md")]
    assert all(f"reference/{page}" in nav for page in pages), "a reference page is not in the nav"
