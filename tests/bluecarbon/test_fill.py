"""Nearby-year fills: values, tie rule, sources outside the window, the log (docs/methods.md B1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import fill_summary, fill_years
from carbonshare.errors import ConfigError


def _p():
    idx = pd.MultiIndex.from_tuples(
        [("A", 1995), ("A", 1998), ("A", 2001), ("B", 2012), ("C", 1996)], names=["iso3", "year"]
    )
    return pd.DataFrame({"x": [1.0, np.nan, 4.0, 7.0, np.nan]}, index=idx)


def test_nearest_fill_uses_years_outside_the_window_and_logs_each_cell():
    res = fill_years(_p(), (1996, 2000))
    v = res.values["x"]
    # A: 1996 <- 1995 (1 away), 1997 <- 1995 (2) ... 1998 tie 1995/2001 -> earlier, 2000 <- 2001
    assert v.loc["A"].tolist() == [1.0, 1.0, 1.0, 4.0, 4.0]
    assert v.loc["B"].tolist() == [7.0] * 5  # OHI-like series that starts later
    assert v.loc["C"].isna().all()
    assert res.empty.values.tolist() == [["C", "x"]]
    assert len(res.fills) == 10
    row = res.fills.query("iso3 == 'A' and year == 1998").iloc[0]
    assert (row["source"], row["rule"]) == ("1995", "nearest")
    s = fill_summary(res.fills)
    assert s.query("iso3 == 'B'")[["years", "source", "n"]].values.tolist() == [
        ["1996-2000", "2012", 5]
    ]


def test_linear_rule_interpolates_inside_and_holds_outside():
    res = fill_years(_p(), (1996, 2003), "linear")
    a = res.values["x"].loc["A"]
    np.testing.assert_allclose(a.loc[1996:2001], [1.5, 2.0, 2.5, 3.0, 3.5, 4.0])
    assert a.loc[2003] == 4.0
    assert set(res.fills.query("iso3 == 'A'")["rule"]) == {"linear", "nearest"}


def test_fill_errors():
    with pytest.raises(ConfigError, match="unknown"):
        fill_years(_p(), (1996, 2000), "mean")
    with pytest.raises(ConfigError, match="after the last"):
        fill_years(_p(), (2000, 1996))
