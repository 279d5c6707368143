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
    err = capsys.readouterr().err
    assert "bad.csv: line 5: coalition {B,A} is given twice (also at line 4)" in err


def test_check(majority, capsys):
    assert main(["game", "check", str(majority)]) == 0
    out = capsys.readouterr().out
    assert "balanced (core non-empty)" in out and "no (Bondareva-Shapley gap 0.5)" in out
    assert "superadditive" in out and "convex" in out


COST_CSV = 'coalition,value\n{},0\n1,20\n2,30\n3,40\n"1,2",45\n"1,3",55\n"2,3",60\n"1,2,3",72\n'


@pytest.mark.parametrize(
    ("solution", "expected"),
    [
        ("shapley", [15 + 2 / 3, 23 + 1 / 6, 33 + 1 / 6]),
        ("banzhaf", [15.5, 23.0, 33.0]),
        ("nucleolus", [16.0, 23.0, 33.0]),
        ("prenucleolus", [16.0, 23.0, 33.0]),
        ("scrb", [12 + 16 * 8 / 34, 17 + 16 * 13 / 34, 27 + 16 * 13 / 34]),
        ("esd", [14.0, 24.0, 34.0]),
        ("eanc", [12 + 16 / 3, 17 + 16 / 3, 27 + 16 / 3]),
        ("proportional", [16.0, 24.0, 32.0]),
        ("equal-split", [24.0, 24.0, 24.0]),
    ],
)
def test_every_cost_solution_from_the_command_line(tmp_path, solution, expected):
    """The three-user cost game of tests/games/test_separable.py, worked by hand there (SCRB,
    EANC, ESD) and here: Shapley_1 = 20/3 + (45-30)/6 + (55-40)/6 + (72-60)/3 = 15.667;
    Banzhaf_1 = (20 + 15 + 15 + 12)/4 = 15.5; nucleolus on the savings game s(12) = s(13) = 5,
    s(23) = 10, s(N) = 18: excesses -y_1 and y_1 - 8 pin y_1 = 4, then y_2 = y_3 = 7, so the
    costs are c({i}) - y = (16, 23, 33). The JSON output is strict (no NaN / Infinity)."""
    p = tmp_path / "cost.csv"
    p.write_text(COST_CSV)
    out = tmp_path / f"{solution}.json"
    assert main(["game", "solve", str(p), "-s", solution, "--cost", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    assert [doc["allocation"][k] for k in "123"] == pytest.approx(expected, abs=1e-9)
    assert doc["diagnostics"]["game_kind"] == "cost"
    assert {"efficiency_gap", "individually_rational", "in_core", "max_excess"} <= set(
        doc["diagnostics"]
    )


def test_least_core_and_json_game_file(tmp_path):
    """A JSON game (kind from the file) through least-core; one-player games have no proper
    coalition, so max_excess and epsilon are -inf in Python and null in the JSON output."""
    p = tmp_path / "g.json"
    p.write_text(json.dumps({"kind": "cost", "values": {"1": 20, "2": 30, "1,2": 45}}))
    out = tmp_path / "lc.json"
    assert main(["game", "solve", str(p), "-s", "least-core", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["diagnostics"]["epsilon"] == pytest.approx(-2.5)  # savings 5 split equally
    one = tmp_path / "one.csv"
    one.write_text("coalition,value\nA,5\n")
    assert main(["game", "solve", str(one), "-s", "least-core", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    assert doc["diagnostics"]["max_excess"] is None and doc["diagnostics"]["epsilon"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheme", "stratified"], "--scheme only applies with --samples"),
        (["--seed", "3"], "--seed only applies with --samples"),
        (["--tol", "0.1"], "--tol only applies with --samples"),
        (["-s", "scrb", "--unions", "u.csv"], "--unions is only used by owen and two-stage"),
        (
            ["-s", "owen", "--unions", "u.csv", "--samples", "50", "--scheme", "stratified"],
            "--scheme stratified applies to shapley only",
        ),
        (["-s", "owen", "--unions", "blank.csv"], "line 3 has an empty 'union'"),
        (["-s", "owen", "--unions", "nope.csv"], "does not exist"),
    ],
)
def test_options_that_do_not_apply_are_refused(majority, tmp_path, capsys, args, message):
    (tmp_path / "u.csv").write_text("player,union\nA,X\nB,X\nC,Y\n")
    (tmp_path / "blank.csv").write_text("player,union\nA,X\nB,\nC,Y\n")
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    assert main(["game", "solve", str(majority), *args]) == 2
    assert message in capsys.readouterr().err


def test_check_cost_game(tmp_path, capsys):
    p = tmp_path / "cost.csv"
    p.write_text(COST_CSV)
    assert main(["game", "check", str(p), "--cost"]) == 0
    out = capsys.readouterr().out
    assert "cost game" in out and "subadditive" in out and "concave" in out
    assert "least-core epsilon" in out and "-4" in out


def test_normalised_banzhaf(tmp_path):
    """On the three-user cost game: raw Banzhaf (15.5, 23, 33) sums to
    71.5, so the normalised value is raw x 72 / 71.5."""
    p = tmp_path / "cost.csv"
    p.write_text(COST_CSV)
    out = tmp_path / "bz.csv"
    args = ["game", "solve", str(p), "-s", "banzhaf", "--normalized", "--cost", "--out", str(out)]
    assert main(args) == 0
    values = [float(line.split(",")[1]) for line in out.read_text().splitlines()[1:]]
    assert values == pytest.approx([v * 72 / 71.5 for v in (15.5, 23.0, 33.0)])
    assert main(["game", "solve", str(p), "-s", "esd", "--normalized"]) == 2


def test_sampling_tolerance_stops_early(tmp_path):
    """--tol stops the permutation sampling once every standard error is below it; the
    JSON output records how many permutations were used and that it converged."""
    p = tmp_path / "g.csv"
    rows = ["coalition,value"]
    players = [f"p{k}" for k in range(8)]
    for m in range(1, 1 << 8):
        members = [q for k, q in enumerate(players) if m >> k & 1]
        rows.append(f'"{",".join(members)}",{len(members) ** 1.5}')
    p.write_text("\n".join(rows) + "\n")
    out = tmp_path / "s.json"
    args = ["game", "solve", str(p), "--samples", "100000", "--tol", "0.02", "--out", str(out)]
    assert main(args) == 0
    diag = json.loads(out.read_text())["diagnostics"]
    assert diag["converged"] and diag["samples"] < 100_000
    assert max(diag["std_error"].values()) <= 0.02


def test_check_of_a_large_dividend_game_does_not_advise_a_dividend_game(tmp_path, capsys):
    """Issue 9 item 14: `game check` told a 30-player DividendGame to 'use a DividendGame'."""
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"dividends": {f"P{k},P{k + 1}": 1 for k in range(29)}}))
    assert main(["game", "check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "DividendGame" not in out and "yes (every Harsanyi dividend >= 0)" in out
    p.write_text(json.dumps({"dividends": {"P0,P1": -1, **{f"P{k}": 1 for k in range(30)}}}))
    assert main(["game", "check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "DividendGame" not in out and "convex" in out and "not checked" in out


def test_dividend_game_table_error_does_not_advise_a_dividend_game():
    from carbonshare.errors import GameError
    from carbonshare.games import DividendGame

    g = DividendGame([f"P{k}" for k in range(30)], {("P0", "P1"): 1.0})
    with pytest.raises(GameError, match="closed forms .* need no table") as info:
        g.table()
    assert "use a closed form (DividendGame)" not in str(info.value)


def test_solve_help_shows_the_coalition_format(capsys):
    assert main(["game", "solve", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert '"A,B",3' in out and "{} or an empty cell is the empty coalition" in out
    assert "shapley, owen, two-stage" in out


def test_out_is_checked_before_solving_and_written_whole(majority, tmp_path, capsys):
    """Issue 9 item 12 (game part): a bad --out fails in one line before any computing, and a
    good one is written through a temporary sibling (no partial file is ever visible)."""
    assert main(["game", "solve", str(majority), "--out", str(tmp_path / "no" / "a.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    out = tmp_path / "a.json"
    assert main(["game", "solve", str(majority), "-s", "nucleolus", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["solution"] == "nucleolus"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "maj.csv"]
