"""Monte Carlo of the alliance allocation: exactness at zero noise, reproducibility, resume,
Dask = local, failures recorded, Sobol indices from SALib."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import ConfigError
from carbonshare.studies.alliances import run_alliances
from carbonshare.studies.alliances_config import AlliancesConfig
from carbonshare.uncertainty.alliances import uncertainty_alliances
from carbonshare.uncertainty.kernel import build_context, evaluate, gini
from carbonshare.uncertainty.run import load_samples, run_chunk, run_samples
from carbonshare.uncertainty.spec import UncertaintyConfig
from carbonshare.uncertainty.summary import comembership, summarise

ONLY = ["FRA", "DEU", "ESP", "ITA", "POL", "USA", "CAN", "MEX", "BRA", "ARG", "CHN", "IND",
        "JPN", "KOR", "COD", "COG", "NGA", "ZAF", "EGY", "AUS", "KEN", "TZA"]  # fmt: skip
SRC = Path(__file__).resolve().parents[2] / "src"
EXACT = UncertaintyConfig(relative_error={}, weights="fixed", choices={})


def config(**sections):
    return AlliancesConfig(countries={"only": ONLY}, output={"figures": False, "report": False},
                           **sections)  # fmt: skip


@pytest.fixture(scope="module")
def base():
    return run_alliances(config())


@pytest.fixture(scope="module")
def ctx(base):
    return build_context(base, UncertaintyConfig(chunk_size=7))


@pytest.mark.parametrize(
    "sections",
    [
        {},
        {"normalisation": {"method": "percentile"}},
        {"linkage": {"transform": "rank"}, "allocation": {"stage1": "within_only"}},
        {"distances": {"exponent": 1.2, "min_km": 500.0}, "labour_cost": {"exponent": 0.0}},
        {"labour_cost": {"proxy": "gdp_per_capita_usd"}, "allocation": {"stage1": "cross_only"}},
    ],
)
def test_zero_noise_sample_reproduces_the_study(sections):
    r = run_alliances(config(**sections))
    c = build_context(r, EXACT)
    shares, ids, _ = evaluate(c, np.full(c.dim, 0.5))
    ref = r.country_shares["share_two_stage"].reindex(c.iso3).to_numpy()
    np.testing.assert_allclose(shares, ref, rtol=1e-10, atol=1e-12)
    same = pd.crosstab(ids, r.members.reindex(c.iso3).to_numpy())
    assert ((same > 0).sum(axis=1) == 1).all() and ((same > 0).sum(axis=0) == 1).all()


def test_samples_depend_on_seed_and_index_only(ctx):
    whole = run_chunk(ctx, 5, 0, 12)
    part = run_chunk(ctx, 5, 4, 9)
    pd.testing.assert_frame_equal(whole.iloc[4:9].reset_index(drop=True), part)
    other = run_chunk(ctx, 6, 4, 9)
    assert not np.allclose(other.filter(like="share:"), part.filter(like="share:"))


def test_chunks_and_processes_do_not_change_results(ctx):
    serial = pd.concat(run_samples(ctx, 30, 1, chunk_size=7, workers=1), ignore_index=True)
    pooled = pd.concat(run_samples(ctx, 30, 1, chunk_size=4, workers=2), ignore_index=True)
    pd.testing.assert_frame_equal(serial, pooled)


def test_chunks_shared_with_an_executor_equal_the_serial_run(ctx):
    """The study's helper process (FigureJobs.executor) takes chunks from the front of the
    queue while this process takes them from the back: the same samples, in order."""
    from carbonshare.report.offload import FigureJobs

    serial = pd.concat(run_samples(ctx, 30, 1, chunk_size=7, workers=1), ignore_index=True)
    with FigureJobs(process=True, warm=("carbonshare.uncertainty.run",)) as jobs:
        shared = run_samples(ctx, 30, 1, chunk_size=4, executor=jobs.executor)
    pd.testing.assert_frame_equal(pd.concat(shared, ignore_index=True), serial)


def test_resumed_run_equals_uninterrupted(ctx, tmp_path):
    full = load_samples(run_samples(ctx, 40, 3, chunk_size=10, out_dir=tmp_path / "a", workers=1))
    root = run_samples(ctx, 40, 3, chunk_size=10, out_dir=tmp_path / "b", workers=1)
    # an interruption: the third chunk never finished (a stray temporary file is left)
    part = next(root.glob("chunk=000000020/part.parquet"))
    part.rename(part.with_suffix(".parquet.tmp"))
    assert len(load_samples(root)) == 30
    ticks = []
    run_samples(ctx, 40, 3, chunk_size=10, out_dir=tmp_path / "b", workers=1,
                progress=lambda done, total: ticks.append(done))  # fmt: skip
    assert ticks == [30, 40]  # only the missing chunk ran
    pd.testing.assert_frame_equal(load_samples(root), full)
    with pytest.raises(ConfigError, match="another run"):
        run_samples(ctx, 40, 4, chunk_size=10, out_dir=tmp_path / "b", workers=1)


def test_dask_localcluster_equals_local(ctx):
    distributed = pytest.importorskip("distributed")
    local = pd.concat(run_samples(ctx, 24, 9, chunk_size=5, workers=1), ignore_index=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        on_dask = pd.concat(
            run_samples(ctx, 24, 9, chunk_size=5, scheduler=cluster.scheduler_address),
            ignore_index=True,
        )
        with distributed.Client(cluster) as client:
            # twice on one client: the second run must not lose the first run's scattered inputs
            for _ in range(2):
                with_client = pd.concat(run_samples(ctx, 24, 9, chunk_size=6, client=client),
                                        ignore_index=True)  # fmt: skip
    pd.testing.assert_frame_equal(local, on_dask)
    pd.testing.assert_frame_equal(local, with_client)


@pytest.fixture
def standalone_cluster(tmp_path):
    """A Dask scheduler and two worker processes started as separate programs (``dask
    scheduler`` / ``dask worker``), as on a user's existing cluster; yields its address."""
    pytest.importorskip("distributed")
    info = tmp_path / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    cli = [sys.executable, "-m"]
    procs = [subprocess.Popen([*cli, "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        procs.append(subprocess.Popen([*cli, "distributed.cli.dask_worker", "--scheduler-file",
                                       str(info), "--nworkers", "2", "--nthreads", "1",
                                       "--no-dashboard"],
                                      env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))  # fmt: skip
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


def test_existing_cluster_by_address_equals_local(ctx, standalone_cluster):
    import distributed

    with distributed.Client(standalone_cluster, timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
        local = pd.concat(run_samples(ctx, 24, 9, chunk_size=5, workers=1), ignore_index=True)
        remote = pd.concat(run_samples(ctx, 24, 9, chunk_size=5, scheduler=standalone_cluster),
                           ignore_index=True)  # fmt: skip
        # the chunks ran on that cluster: its scheduler has seen their tasks
        seen = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
    pd.testing.assert_frame_equal(local, remote)
    assert seen, "no task reached the cluster's scheduler"


def test_unreachable_scheduler_is_a_clear_error(ctx):
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        run_samples(ctx, 4, 0, scheduler="tcp://127.0.0.1:9")


def test_failing_samples_are_retried_then_recorded(base):
    spec = UncertaintyConfig(
        choices={"labour_proxy": {"gdp_per_employed": 0.5, "gdp_per_capita_usd": 0.5}}
    )
    c = build_context(base, spec)
    c.labour["gdp_per_capita_usd"] = np.zeros(c.n)  # CRL undefined (division by 0)
    frame = run_chunk(c, 0, 0, 40)
    bad = frame["labour_proxy"] == "gdp_per_capita_usd"
    assert bad.any() and (~bad).any()
    assert (frame.loc[bad, "error"] != "").all() and (frame.loc[~bad, "error"] == "").all()
    s = summarise(frame, c.iso3)
    assert len(s.failures) == bad.sum() and s.n_samples == (~bad).sum()


def test_summary_quantities_by_hand():
    p = comembership([np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([-1, -1, -1])],
                     ["A", "B", "C"])  # fmt: skip
    assert p.loc["A", "B"] == 0.5 and p.loc["A", "C"] == 0.0  # the failed sample is skipped
    assert gini(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25)


def test_library_run_with_sobol_indices(base):
    spec = UncertaintyConfig(
        relative_error={}, weights="fixed",
        choices={"labour_proxy": {"gdp_per_employed": 0.5, "gdp_per_capita_usd": 0.5}},
    )  # fmt: skip
    s = uncertainty_alliances(base, spec, samples=60, seed=2, workers=1, sensitivity_samples=16)
    assert s.n_samples == 60
    assert set(s.choices["option"]) == {"gdp_per_employed", "gdp_per_capita_usd"}
    # one uncertain input: it explains all variance of every output that varies
    st = s.sensitivity
    assert set(st["input"]) == {"choice: labour_proxy"}
    gini_st = st.loc[st["output"] == "Gini of shares", "ST"].iloc[0]
    assert gini_st == pytest.approx(1.0, abs=0.15)
    iv = s.intervals
    assert (iv["p5_pct"] <= iv["median_pct"]).all() and (iv["median_pct"] <= iv["p95_pct"]).all()
    assert iv["median_pct"].sum() == pytest.approx(100.0, rel=0.05)
    assert np.allclose(np.diag(s.comembership), 1.0)


def test_study_runs_uncertainty_when_asked():
    r = run_alliances(config(uncertainty={"samples": 20}))
    assert r.uncertainty.n_samples == 20
    assert r.manifest.extra["uncertainty"]["n_samples"] == 20
    assert "uncertainty_share_intervals" in r.tables()


def test_cli_uncertainty_and_run_with_intervals(tmp_path, capsys):
    from carbonshare.cli import main

    yaml = tmp_path / "c.yaml"
    yaml.write_text(f"countries:\n  only: {ONLY}\nuncertainty:\n  samples: 20\n")
    out = tmp_path / "unc"
    args = ["uncertainty", "alliances", "--config", str(yaml), "--samples", "30", "--workers",
            "1", "--sensitivity", "8", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "5-95 % interval" in text and "Gini" in text
    for name in ("report.html", "manifest.json", "tables/share_intervals.csv",
                 "tables/sensitivity.csv", "figures/comembership.png", "samples/run.json"):  # fmt: skip
        assert (out / name).exists(), name
    assert main(args) == 0  # a rerun resumes: every chunk is already on disk
    run = tmp_path / "run"
    assert main(["run", "alliances", "--config", str(yaml), "--out", str(run),
                 "--no-figures"]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "90 %" in text and "samples)" in text  # the interval column (rich may wrap its header)
    assert "How robust is this allocation?" in (run / "report.html").read_text()


def test_successor_components_equal_scipy_weak_components_on_random_graphs():
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    from carbonshare.cooperation.alliances import successor_components

    rng = np.random.default_rng(14)
    for n in (1, 2, 3, 7, 50, 171, 400):
        for succ in (
            rng.integers(0, n, n),  # any functional graph: long cycles, self-loops, trees
            rng.permutation(n),  # only cycles
            np.arange(n)[::-1].copy(),  # mutual pairs (a symmetric CRL's strongest partners)
        ):
            graph = csr_matrix((np.ones(n), (np.arange(n), succ)), shape=(n, n))
            _, expected = connected_components(graph, directed=True, connection="weak")
            np.testing.assert_array_equal(successor_components(succ), expected)
