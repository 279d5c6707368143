"""The mixed model against a direct statsmodels call on the same frame (B4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.bluecarbon import (
    area_growth,
    fit_rate_models,
    rate_coefficients,
    rate_fitted,
    rate_frame,
)
from carbonshare.errors import ConfigError


def _frame(seed=0, n=25, years=range(1996, 2016)):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        u = rng.normal(0, 0.02)
        for t in years:
            dc = rng.uniform(2, 90)
            rows.append(
                {
                    "iso3": f"C{i:02d}",
                    "year": t,
                    "dc": dc,
                    "rate": -0.05 + 0.015 * np.log(dc) + u + rng.normal(0, 0.01),
                }
            )
    f = pd.DataFrame(rows).set_index(["iso3", "year"])
    return rate_frame(f["rate"], f["dc"])[0]


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_mixed_model_equals_direct_statsmodels_call():
    import statsmodels.formula.api as smf

    frame = _frame()
    fit = fit_rate_models(frame, ["log", "linear", "intercept"])
    direct = smf.mixedlm("rate ~ np.log(dc)", frame, groups=frame["iso3"]).fit(reml=False)
    row = fit.table.loc["log"]
    assert row["b0"] == pytest.approx(direct.fe_params["Intercept"], rel=1e-5)
    assert row["b1"] == pytest.approx(direct.fe_params["np.log(dc)"], rel=1e-5)
    assert row["aic"] == pytest.approx(direct.aic, rel=1e-6)
    assert row["re_variance"] == pytest.approx(direct.cov_re.iloc[0, 0], rel=1e-3)
    # the true model (log) wins on AIC against the linear and intercept-only candidates
    assert fit.table["aic"].astype(float).idxmin() == "log"
    assert row["b1"] == pytest.approx(0.015, abs=0.002)
    assert fit.chosen == "log" and fit.transform == "log"
    # per-country coefficients: fixed part plus the nation's predicted random intercept
    coef = rate_coefficients(fit, pd.Index(["C03", "ZZZ"]))
    assert coef.at["C03", "intercept"] == pytest.approx(
        direct.fe_params["Intercept"] + direct.random_effects["C03"].iloc[0], rel=1e-4
    )
    assert coef.at["ZZZ", "intercept"] == pytest.approx(row["b0"])
    fitted = rate_fitted(fit, frame)
    np.testing.assert_allclose(fitted, fit.results["log"].fittedvalues, rtol=1e-6)


def test_aic_selection_and_errors():
    frame = _frame(1)
    fit = fit_rate_models(frame, ["intercept", "log"], select="aic")
    assert fit.chosen == "log"
    assert fit.table["chosen"].tolist() == [False, True]
    with pytest.raises(ConfigError, match="unknown"):
        fit_rate_models(frame, ["quadratic"])


def test_area_growth_by_hand():
    idx = pd.MultiIndex.from_product([["A", "B"], range(2000, 2006)], names=["iso3", "year"])
    area = pd.Series([100, 101, 102, 103, 104, 110, 0, 0, 5, 5, 5, 5], idx, dtype=float)
    g = area_growth(area, horizon=4)
    assert g.loc[("A", 2000)] == pytest.approx(0.04)
    assert g.loc[("A", 2001)] == pytest.approx(110 / 101 - 1)
    assert np.isnan(g.loc[("B", 2000)])  # zero area: growth undefined
    assert len(g) == 4
