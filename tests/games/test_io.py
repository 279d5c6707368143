"""Reading and writing games as JSON and CSV."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert read_game(tmp_path / "c.json", cost=True).cost  # agrees with the file
    with pytest.raises(GameError, match=r'says "kind": "cost" but cost=False was given'):
        read_game(tmp_path / "c.json", cost=False)  # issue 9 item 9: no silent override


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


# --- the vectorised CSV reader (issue 9, item 16) ---------------------------------------------


def _spell(members, rng):
    """One coalition cell as a person might write it: any member order, spaces, braces."""
    members = list(members)
    rng.shuffle(members)
    sep = rng.choice([",", ", ", " ,", " , "])
    body = sep.join(members)
    left, right = ["", "{", "[", "(", "{ "][rng.integers(5)], ""
    right = {"": "", "{": "}", "[": "]", "(": ")", "{ ": " }"}[left]
    return f"{rng.choice(['', ' '])}{left}{body}{right}{rng.choice(['', '  '])}"


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 10_000), delimiter=st.sampled_from([",", ";"]))
def test_csv_reader_matches_the_table_whatever_the_spelling(tmp_path_factory, n, seed, delimiter):
    """Rows in random order, members in random order, spaces, braces / brackets, the empty
    coalition omitted or written {} or as an empty cell, CRLF or LF: the table is the one
    written, with the players in the order of the grand coalition's cell."""
    rng = np.random.default_rng(seed)
    players = [f"P{k}" for k in rng.permutation(n)]
    values = np.round(rng.normal(size=1 << n) * 10, 3)
    values[0] = 0.0
    lines = []
    for m in rng.permutation(1 << n):
        members = [players[k] for k in range(n) if m >> k & 1]
        if m == (1 << n) - 1:
            members = list(players)  # the grand coalition, in player order
            cell = (" " if rng.random() < 0.5 else "") + ", ".join(members)
        elif m == 0:
            if rng.random() < 0.3:
                continue
            cell = rng.choice(["{}", "", " { } "])
        else:
            cell = _spell(members, rng)
        quoted = f'"{cell}"' if delimiter == "," else cell
        lines.append(f"{quoted}{delimiter} {float(values[m])!r} ")
    header = f"Coalition{delimiter}VALUE"
    text = ("\r\n" if seed % 2 else "\n").join([header, *lines, ""])
    p = tmp_path_factory.mktemp("csv") / "g.csv"
    p.write_text(text, encoding="utf-8", newline="")
    g = read_game(p)
    assert g.players == tuple(players)
    np.testing.assert_array_equal(g.table(), values)


def test_csv_reader_handles_blank_lines_extra_columns_and_a_bom(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text('\ufeffnote,value,coalition\n\nx,1,A\n  \ny,2,B\nz,6,"B , A"\n', encoding="utf-8")
    g = read_game(p)
    assert g.players == ("B", "A") and g.value(["A"]) == 1.0 and g.value(["A", "B"]) == 6.0


def test_csv_reader_tab_separated(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("coalition\tvalue\nA\t1\nB\t2\nA,B\t6\n")
    assert read_game(p).value(["A", "B"]) == 6.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'coalition,value\nA,1\nB,2\n"A,B",3\nCaf\xe9,1\n'.encode("latin-1"),
            r"line 5 is not UTF-8 text \(byte 0xe9 in 'Café,1'\).*Latin-1.*save it as UTF-8",
        ),
        (
            "coalition,valeur\nA,1\n".encode("latin-1") + b"\xe9\n",
            "must have columns 'coalition' and 'value'",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, r"Excel workbook \(.xlsx\), not a CSV"),
        (b"", "the CSV is empty"),
        (b"coalition,value\n", "has a header but no coalitions"),
        (
            b"coalition,value\nA,1\nB,2\nC,1\nA B,2\nA C,2\nB C,2\nA B C,4\n",
            r"no coalition has more than one member.*\"A,B\",3.*'A B' is read as one player",
        ),
        (
            b'coalition,value\nA,1\nB,2\nA;B,3\n"A,B",3\n',
            r"line 4: player 'A;B' in coalition \{A;B\} is not in the grand coalition \{A,B\}; "
            r"write a coalition's members separated by commas",
        ),
        (
            b'coalition,value\nA,1\nB,2\n"A,B",3\n,\n',
            r"line 5: value of coalition \{\} is '', not a number",
        ),
        (
            b'coalition,value\nA,1\nB,2\n"A,B",1e308\n',
            r"coalition \{A,B\} is 1e\+308.*larger units",
        ),
    ],
)
def test_csv_reader_errors(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(GameError, match=message):
        read_game(p)


# --- JSON and type mismatches (issue 9, items 8 and 14) ---------------------------------------


def test_json_duplicate_key_is_an_error_naming_the_coalition(tmp_path):
    p = tmp_path / "dup.json"
    p.write_text('{"values": {"A": 1, "B": 2, "A,B": 3, "A,B": 4}}')
    with pytest.raises(GameError, match=r"the key 'A,B' is given twice.*keeps only the last"):
        read_game(p)


def test_string_players_with_integer_coalitions(tmp_path):
    p = tmp_path / "types.json"
    p.write_text(
        '{"players": ["1", "2"], "values": [{"coalition": [1], "value": 1},'
        ' {"coalition": [2], "value": 1}, {"coalition": [1, 2], "value": 3}]}'
    )
    with pytest.raises(GameError, match=r"1 is a int but the player is '1', a str"):
        read_game(p)
    p.write_text('{"players": ["A", "B"], "values": [{"coalition": [["A"]], "value": 1}]}')
    with pytest.raises(GameError, match=r"entry 0: coalition member \['A'\] is not a player name"):
        read_game(p)
