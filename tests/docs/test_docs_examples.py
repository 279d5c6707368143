"""Every code example of the tutorial, the how-to guides and the README's library section runs.

Each page is one test: its fenced ``python`` blocks run in order in one namespace, and every
line of its ``bash`` blocks that starts with ``carbonshare`` runs through bash with ``carbonshare``
meaning ``python -m carbonshare`` of this interpreter (so redirections such as
``--print-config > my.yaml`` work as a reader would type them). Other shell lines (``pip install``,
``python3 -m venv``) are installation steps and are not run. Everything runs in a fresh temporary
directory laid out like a clone of the repository (``docs/examples/`` is available), so pages
write paths as a reader working from the repository root would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted([*DOCS.glob("tutorial/*.md"), *DOCS.glob("how-to/*.md")])
SHELL = {"bash", "sh", "shell", "console"}


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, code) of every fenced block of a Markdown text, in order."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        (tok.info.split()[0] if tok.info.strip() else "", tok.content)
        for tok in tokens
        if tok.type == "fence"
    ]


def shell_commands(code: str) -> list[str]:
    """The ``carbonshare ...`` command lines of a shell block (continuations joined)."""
    logical = re.sub(r"\s*\\\n\s*", " ", code)
    lines = [line.strip().removeprefix("$ ") for line in logical.splitlines()]
    return [line for line in lines if line.startswith("carbonshare ")]


@pytest.fixture
def clone_dir(tmp_path, monkeypatch):
    """A working directory that looks like the repository root, with a ``carbonshare`` shim."""
    (tmp_path / "docs").mkdir()
    os.symlink(DOCS / "examples", tmp_path / "docs" / "examples")
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "carbonshare"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m carbonshare "$@"\n')
    shim.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    pythonpath = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (str(REPO / "src"), pythonpath) if p)
    )
    return tmp_path


def run_page(blocks: list[tuple[str, str]], name: str, cwd: Path) -> int:
    """Run the examples of one page in order; return how many blocks ran."""
    namespace: dict[str, object] = {"__name__": f"docs_example_{Path(name).stem}"}
    ran = 0
    for k, (lang, code) in enumerate(blocks, 1):
        if lang == "python":
            exec(compile(code, f"{name} (block {k})", "exec"), namespace)
            ran += 1
        elif lang in SHELL:
            for command in shell_commands(code):
                proc = subprocess.run(
                    ["bash", "-o", "pipefail", "-c", command],
                    cwd=cwd,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                assert proc.returncode == 0, (
                    f"{name} (block {k}): `{command}` exited with {proc.returncode}\n"
                    f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
                )
                ran += 1
    return ran


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples_run(page: Path, clone_dir: Path) -> None:
    blocks = code_blocks(page.read_text(encoding="utf-8"))
    ran = run_page(blocks, str(page.relative_to(REPO)), clone_dir)
    assert ran > 0, f"{page.name} has no runnable example"


def test_readme_library_example_runs(clone_dir: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Library", 1)[1].split("\n## ", 1)[0]
    blocks = [(lang, code) for lang, code in code_blocks(section) if lang == "python"]
    assert blocks, "the README's library section has no python example"
    assert run_page(blocks, "README.md#library", clone_dir) == len(blocks)


def test_every_tutorial_and_how_to_is_in_the_site_nav() -> None:
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [str(p.relative_to(DOCS)) for p in PAGES if str(p.relative_to(DOCS)) not in nav]
    assert not missing, f"pages not in the nav of mkdocs.yml: {missing}"
    assert len(PAGES) >= 6


def test_harness_reads_blocks_and_commands(clone_dir: Path) -> None:
    text = textwrap.dedent(
        """\
        ```python
        x = 1
        ```

        ```bash
        pip install carbonshare
        carbonshare run alliances \\
          --out results/a   # comment stays
        $ carbonshare data info
        ```
        """
    )
    blocks = code_blocks(text)
    assert [lang for lang, _ in blocks] == ["python", "bash"]
    assert shell_commands(blocks[1][1]) == [
        "carbonshare run alliances --out results/a   # comment stays",
        "carbonshare data info",
    ]
    with pytest.raises(AssertionError, match="exited with"):
        run_page([("bash", "carbonshare no-such-command\n")], "x.md", clone_dir)
