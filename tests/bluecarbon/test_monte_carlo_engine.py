"""The blue-carbon Monte Carlo on the shared engine: draw k from (seed, k) only, the same
numbers in this process, on local processes and on a Dask cluster, the u -> input mapping."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from carbonshare.bluecarbon import headline_numbers, monte_carlo
from carbonshare.bluecarbon.uncertainty import HeadlineModel
from carbonshare.uncertainty.run import uniforms

from .test_cooperation import _scenario

Q = {"GC": 0.5, "GDC": 0.9}
SE = pd.Series({"mangrove": 39.0, "saltmarsh": 24.0, "seagrass": 38.0})


@pytest.fixture(scope="module")
def inputs():
    sc = _scenario()
    cscc = pd.Series(np.linspace(10, 100, 6), index=sc.countries)
    return {"scenario": sc, "q": Q, "cscc": cscc, "rate_se": SE,
            "dc_sd": pd.Series(3.0, sc.countries)}  # fmt: skip


def test_draw_k_depends_on_seed_and_k_only(inputs):
    draws = monte_carlo(**inputs, draws=12, seed=4, chunk_size=5)
    again = monte_carlo(**inputs, draws=12, seed=4, chunk_size=12)
    pd.testing.assert_frame_equal(draws, again)
    model = HeadlineModel(**inputs)
    for k in (0, 7, 11):
        one = model.evaluate(uniforms(model, 4, k))
        assert draws.loc[k].to_dict() == one
    other = monte_carlo(**inputs, draws=12, seed=5, chunk_size=5)
    assert not np.allclose(other, draws)
    assert list(draws.columns) == list(headline_numbers(inputs["scenario"], Q, inputs["cscc"]))
    assert draws.index.name == "draw" and draws.attrs["failed"] == 0


def test_one_process_equals_two_processes_equals_dask(inputs):
    distributed = pytest.importorskip("distributed")
    serial = monte_carlo(**inputs, draws=10, seed=2, chunk_size=3, workers=1)
    pooled = monte_carlo(**inputs, draws=10, seed=2, chunk_size=3, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        on_dask = monte_carlo(**inputs, draws=10, seed=2, chunk_size=3,
                              scheduler=cluster.scheduler_address)  # fmt: skip
        with distributed.Client(cluster) as client:
            with_client = monte_carlo(**inputs, draws=10, seed=2, chunk_size=4, client=client)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    pd.testing.assert_frame_equal(serial, on_dask, check_exact=True)
    pd.testing.assert_frame_equal(serial, with_client, check_exact=True)


def test_uniforms_map_to_the_cited_normals(inputs):
    sc = inputs["scenario"]
    model = HeadlineModel(**inputs)
    assert model.n_uniforms == 3 + len(sc.countries)
    half = np.full(model.n_uniforms, 0.5)  # z = 0: the point estimate
    assert model.evaluate(half) == headline_numbers(sc, Q, inputs["cscc"])
    # u = Phi(1) on the saltmarsh rate: that rate moves by one s.e. (24 g C m-2 yr-1)
    u = half.copy()
    u[1] = norm.cdf(1.0)
    moved = replace(sc, burial_rates=sc.burial_rates + pd.Series({"saltmarsh": 24.0}).reindex(
        sc.burial_rates.index, fill_value=0.0))  # fmt: skip
    expect = headline_numbers(moved, Q, inputs["cscc"])
    for k, v in model.evaluate(u).items():
        assert v == pytest.approx(expect[k], rel=1e-9)
    # u = Phi(-2) on country 2's DC (sd 3): its BAU DC falls by 6 points; u -> 0 stays finite
    u = half.copy()
    u[3 + 2] = norm.cdf(-2.0)
    dc = sc.dc_bau.copy()
    dc.iloc[2] -= 6.0
    expect = headline_numbers(replace(sc, dc_bau=dc), Q, inputs["cscc"])
    for k, v in model.evaluate(u).items():
        assert v == pytest.approx(expect[k], rel=1e-9)
    zero = HeadlineModel(**(inputs | {"rate_se": SE * 0, "dc_sd": inputs["dc_sd"] * 0}))
    assert zero.evaluate(np.zeros(model.n_uniforms)) == headline_numbers(sc, Q, inputs["cscc"])
