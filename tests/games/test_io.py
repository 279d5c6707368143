"""Reading and writing games as JSON and CSV."""

from __future__ import annotations

import json

import numpy as np
import pytest

from carbonshare.errors import GameError
from carbonshare.games import DividendGame, TabularGame, read_game, write_game
from carbonshare.games.io import parse_coalition


def glove():
    return TabularGame.from_function(
        ["L", "R1", "R2"], lambda s: float(min(len(s & {"L"}), len(s & {"R1", "R2"})))
    )


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_round_trip(tmp_path, suffix):
    g = glove()
    p = write_game(g, tmp_path / f"g{suffix}")
    back = read_game(p)
    assert back.players == g.players
    np.testing.assert_array_equal(back.table(), g.table())


def test_cost_game_to_csv_warns_that_the_kind_is_not_stored(tmp_path, caplog):
    g = TabularGame(["a", "b"], {("a",): 3, ("b",): 4, ("a", "b"): 6}, cost=True)
    p = write_game(g, tmp_path / "c.csv")
    assert "must be read back with read_game(path, cost=True)" in caplog.text
    assert read_game(p, cost=True).cost and not read_game(p).cost


def test_cost_kind_round_trip_json(tmp_path):
    g = TabularGame(["a", "b"], {("a",): 3, ("b",): 4, ("a", "b"): 6}, cost=True)
    back = read_game(write_game(g, tmp_path / "c.json"))
    assert back.cost
    assert read_game(tmp_path / "c.json", cost=False).cost is False


def test_dividend_json(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"players": ["a", "b", "c"], "dividends": {"a,b": 2, "a,b,c": 1}}))
    g = read_game(p)
    assert isinstance(g, DividendGame)
    assert g.value(["a", "b", "c"]) == 3.0
    back = read_game(write_game(g, tmp_path / "d2.json"))
    assert back.dividends() == g.dividends()


def test_csv_formats(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text('coalition,value\n{},0\nA,1\n"{B}",2\n"A, B",6\n')
    g = read_game(p)
    assert g.players == ("A", "B")
    assert g.value(["A", "B"]) == 6.0
    assert parse_coalition("") == ()
    p.write_text('\ufeffcoalition,value\nA,1\nB,2\n"A,B",6\n', encoding="utf-8")  # Excel BOM
    assert read_game(p).value(["A", "B"]) == 6.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'coalition,value\nA,1\nB,2\n"A,B",3\n"B,A",4\n',
            r"line 5: coalition \{B,A\} is given twice \(also at line 4\)",
        ),
        ('coalition,value\nA,1\nB,2\n"A,B",3\nA,1\n', r"line 5: coalition \{A\} is given twice"),
        ("coalition,value\n{},0\nA,1\n{},0\n", r"line 4: coalition \{\} is given twice"),
        (
            'coalition,value\nA,1\nB,2\n"A,A",3\n"A,B",3\n',
            r"line 4: player 'A' appears twice in coalition \{A,A\}",
        ),
        ('coalition,value\nA,1\n"A,B",3\n', r"no value: \{B\}"),
        (
            'coalition,value\nA,1\nB,2\nC,1\n"A,B",3\n',
            r"player 'C' in coalition \{C\} is not in the grand",
        ),
        ('coalition,value\nA,1\nB,nan\n"A,B",3\n', r"line 3: value of coalition \{B\} is 'nan'"),
        (
            'coalition,value\nA,1\nB,x\n"A,B",3\n',
            r"line 3: value of coalition \{B\} is 'x', not a number",
        ),
        (
            'coalition,value\n{},1\nA,1\nB,2\n"A,B",3\n',
            r"v\(\{\}\) = 1.0; the empty coalition must have value 0",
        ),
        ('coalition,value\nA,1\nB,inf\n"A,B",3\n', r"line 3: value of coalition \{B\} is 'inf'"),
        ('coalition,value\nA,1\nB,\n"A,B",3\n', r"line 3: value of coalition \{B\} is ''"),
        ("who,what\nA,1\n", "must have columns 'coalition' and 'value'"),
        ('coalition,value\n"A,,B",1\n', "empty player name"),
        ("coalition,value\nA,1\nB,2\nA,B,3\n", 'line 4 has 3 fields .* quote .*"A,B",3'),
    ],
)
def test_csv_errors_name_the_problem(tmp_path, text, message):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(GameError, match=message) as info:
        read_game(p)
    assert "bad.csv" in str(info.value)


def test_json_errors(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"players": ["A", "B"], "values": [{"coalition": ["A", "Z"], "value": 1}]}')
    with pytest.raises(GameError, match=r"unknown player 'Z'"):
        read_game(p)
    p.write_text('{"values": {"A": 1, "B": 1, "A,B": 3, "B,A": 4}}')
    with pytest.raises(GameError, match=r"'values' key 'B,A': coalition \{B,A\} is given twice"):
        read_game(p)
    p.write_text(
        '{"values": [{"coalition": ["A"], "value": 1}, {"coalition": ["B"], "value": 1},'
        ' {"coalition": ["A", "B"], "value": 3}, {"coalition": "B,A", "value": 3}]}'
    )
    with pytest.raises(GameError, match=r"'values' entry 3: coalition \{B,A\} is given twice"):
        read_game(p)
    p.write_text('{"players": ["A", "B"], "values": {"A": 1, "A,B": 3}}')
    with pytest.raises(GameError, match=r"no value: \{B\}"):
        read_game(p)
    p.write_text('{"values": {"A": 1, "B": "NaN", "A,B": 3}}')
    with pytest.raises(
        GameError, match=r"value of coalition \{B\} is 'NaN'; values must be finite"
    ):
        read_game(p)
    p.write_text('{"values": {"{}": 1, "A": 1, "B": 1, "A,B": 3}}')
    with pytest.raises(GameError, match=r"v\(\{\}\) = 1.0"):
        read_game(p)
    p.write_text('{"values": [{"coalition": ["A"]}]}')
    with pytest.raises(GameError, match="needs 'coalition' and 'value'"):
        read_game(p)
    p.write_text('{"values": [], "dividends": []}')
    with pytest.raises(GameError, match="exactly one of 'values'"):
        read_game(p)
    p.write_text("{not json")
    with pytest.raises(GameError, match="not valid JSON"):
        read_game(p)
    p.write_text('{"kind": "profit", "values": {"A": 1}}')
    with pytest.raises(GameError, match="'kind' is 'profit'"):
        read_game(p)
    with pytest.raises(GameError, match="does not exist"):
        read_game(tmp_path / "missing.json")
    with pytest.raises(GameError, match="must end in .json or .csv"):
        read_game(p.rename(tmp_path / "g.txt"))


def test_unwritable_player_names(tmp_path):
    g = TabularGame.from_function(["a,b", "c"], len)
    with pytest.raises(GameError, match="player name 'a,b' cannot be written"):
        write_game(g, tmp_path / "g.csv")
