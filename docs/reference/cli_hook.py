"""MkDocs hook: write the command-line reference from the ``carbonshare`` command itself.

The page ``reference/cli.md`` holds the marker ``<!-- cli-reference -->``; at build time it is
replaced by one section per command (usage, help text, options) read from the typer app, so the
reference can never drift from the code and a new command appears without editing the page.
"""

from __future__ import annotations

import html
import inspect

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"


def _walk(command, ctx, path):
    """Yield (path, command, context) for ``command`` and every sub-command, depth first."""
    yield path, command, ctx
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            sub_ctx = sub.make_context(name, [], parent=ctx, resilient_parsing=True)
            yield from _walk(sub, sub_ctx, [*path, name])


def _cell(text: str) -> str:
    """One table cell: whitespace collapsed, HTML escaped, pipes as entities."""
    return html.escape(" ".join(text.split())).replace("|", "&#124;")


def cli_markdown() -> str:
    """The reference of every ``carbonshare`` command as Markdown."""
    import typer.main

    from carbonshare.cli import app

    root = typer.main.get_command(app)
    root_ctx = root.make_context("carbonshare", [], resilient_parsing=True)
    out: list[str] = []
    for path, command, ctx in _walk(root, root_ctx, ["carbonshare"]):
        name = " ".join(path)
        depth = min(len(path) + 1, 4)
        out += [f"{'#' * depth} `{name}`", ""]
        if command.help:
            out += [inspect.cleandoc(command.help).replace("\b\n", ""), ""]
        out += ["```text", command.get_usage(ctx).strip(), "```", ""]
        rows = []
        for param in command.params:
            record = param.get_help_record(ctx)
            if record is None and param.param_type_name == "argument":
                record = (param.human_readable_name, getattr(param, "help", None) or "")
            if record:
                rows.append(f"| <code>{_cell(record[0])}</code> | {_cell(record[1] or '')} |")
        if rows:
            out += ["| argument / option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == PAGE and MARKER in markdown:
        return markdown.replace(MARKER, cli_markdown())
    return markdown
