"""`carbonshare game solve|check` through carbonshare.cli.main."""

from __future__ import annotations

import json

import pytest

from carbonshare.cli import main

MAJORITY_CSV = 'coalition,value\n{},0\nA,0\nB,0\nC,0\n"A,B",1\n"A,C",1\n"B,C",1\n"A,B,C",1\n'


@pytest.fixture
def majority(tmp_path):
    p = tmp_path / "maj.csv"
    p.write_text(MAJORITY_CSV)
    return p


def test_solve_shapley_prints_table(majority, capsys):
    assert main(["game", "solve", str(majority)]) == 0
    out = capsys.readouterr().out
    assert "shapley" in out and "0.333333" in out and "in_core" in out


def test_solve_owen_with_unions_to_json(majority, tmp_path):
    unions = tmp_path / "u.csv"
    unions.write_text("player,union\nA,X\nB,X\nC,Y\n")
    out = tmp_path / "owen.json"
    code = main(
        ["game", "solve", str(majority), "-s", "owen", "--unions", str(unions), "--out", str(out)]
    )
    assert code == 0
    doc = json.loads(out.read_text())
    assert doc["allocation"] == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.0})
    assert doc["diagnostics"]["blocking_coalition"] in (["A", "C"], ["B", "C"])


def test_solve_two_stage_json_unions_and_csv_out(majority, tmp_path):
    unions = tmp_path / "u.json"
    unions.write_text('{"X": ["A", "B"], "Y": ["C"]}')
    out = tmp_path / "ts.csv"
    assert (
        main(
            [
                "game",
                "solve",
                str(majority),
                "-s",
                "two-stage",
                "--unions",
                str(unions),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_text().splitlines()[0] == "player,value"


def test_solve_cost_game_scrb(tmp_path, capsys):
    p = tmp_path / "cost.csv"
    p.write_text('coalition,value\n1,20\n2,30\n3,40\n"1,2",45\n"1,3",55\n"2,3",60\n"1,2,3",72\n')
    assert main(["game", "solve", str(p), "-s", "scrb", "--cost"]) == 0
    out = capsys.readouterr().out
    assert "15.7647" in out and "cost game" in out


def test_solve_sampled(majority, capsys):
    assert main(["game", "solve", str(majority), "--samples", "100"]) == 0
    assert "std. error" in capsys.readouterr().out
    args = ["game", "solve", str(majority), "--samples", "90", "--scheme", "stratified"]
    assert main(args) == 0
    assert "std. error" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "owen"], "needs --unions"),
        (["-s", "nucleolus", "--samples", "10"], "--samples applies to shapley and owen"),
        (["--out", "x.txt"], "must end in .csv or .json"),
    ],
)
def test_solve_errors_exit_2_with_message(majority, capsys, args, message, tmp_path):
    args = [a if a != "x.txt" else str(tmp_path / "x.txt") for a in args]
    assert main(["game", "solve", str(majority), *args]) == 2
    assert message in capsys.readouterr().err


def test_bad_game_file_names_the_coalition(tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text('coalition,value\nA,1\nB,2\n"A,B",3\n"B,A",4\n')
    assert main(["game", "check", str(p)]) == 2
    assert "{A,B} is given twice" in capsys.readouterr().err


def test_check(majority, capsys):
    assert main(["game", "check", str(majority)]) == 0
    out = capsys.readouterr().out
    assert "balanced (core non-empty)" in out and "no (Bondareva-Shapley gap 0.5)" in out
    assert "superadditive" in out and "convex" in out
