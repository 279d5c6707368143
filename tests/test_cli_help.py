"""Every command's --help shows flags as flags, and what the help shows is accepted."""

from __future__ import annotations

import typer

from carbonshare.cli import app, main


def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def test_help_of_every_command_shows_boolean_flags_as_plain_flags(capsys):
    root = typer.main.get_command(app)
    seen = 0
    for path, cmd in _commands(root):
        assert main([*path, "--help"]) == 0
        out = capsys.readouterr().out
        assert "<bool>" not in out, f"carbonshare {' '.join(path)} --help shows <bool>:\n{out}"
        for param in cmd.params:
            if getattr(param, "is_flag", False) and not param.hidden:
                assert param.opts[0] in out
        seen += 1
    assert seen >= 10  # root, groups and their commands


def test_a_flag_as_the_help_shows_it_is_accepted(capsys):
    assert main(["run", "alliances", "--print-config"]) == 0
    assert "weights" in capsys.readouterr().out
