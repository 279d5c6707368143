"""The engine with a caller's SampleModel: its own columns, failures recorded, resume."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from carbonshare.errors import ConfigError
from carbonshare.uncertainty.run import load_samples, run_chunk, run_samples, uniforms


@dataclass
class Square:
    """x = u0, y = u0 + u1; fails (raises) when u0 < 0.2, non-finite when u0 > 0.9."""

    scale: float = 1.0

    @property
    def n_uniforms(self) -> int:
        return 2

    def evaluate(self, u: np.ndarray) -> dict[str, float]:
        if u[0] < 0.2:
            raise ValueError("u0 too small")
        return {"x": self.scale * u[0], "y": np.inf if u[0] > 0.9 else u[0] + u[1]}


def test_columns_values_and_failures():
    frame = run_chunk(Square(), 3, 0, 60)
    assert list(frame.columns) == ["sample", "error", "x", "y"]
    u = np.array([uniforms(Square(), 3, k) for k in range(60)])
    low, high = u[:, 0] < 0.2, u[:, 0] > 0.9
    assert low.any() and high.any()
    ok = ~(low | high)
    np.testing.assert_array_equal(frame["x"][ok], u[ok, 0])
    np.testing.assert_array_equal(frame["y"][ok], u[ok].sum(axis=1))
    assert frame["error"][low].str.startswith("ValueError").all()
    assert frame["error"][high].str.startswith("FloatingPointError").all()
    assert frame.loc[~ok, ["x", "y"]].isna().all().all() and (frame["error"][ok] == "").all()


def test_pooled_and_resumed_runs_equal_serial(tmp_path):
    serial = pd.concat(run_samples(Square(), 23, 1, chunk_size=23, workers=1), ignore_index=True)
    pooled = pd.concat(run_samples(Square(), 23, 1, chunk_size=5, workers=2), ignore_index=True)
    pd.testing.assert_frame_equal(serial, pooled)
    root = run_samples(Square(), 23, 1, chunk_size=5, out_dir=tmp_path, workers=1)
    (root / "chunk=000000010" / "part.parquet").unlink()
    ticks = []
    run_samples(Square(), 23, 1, chunk_size=5, out_dir=tmp_path, workers=1,
                progress=lambda done, total: ticks.append(done))  # fmt: skip
    assert ticks == [18, 23]
    pd.testing.assert_frame_equal(load_samples(root), serial)
    with pytest.raises(ConfigError, match="another run"):
        run_samples(Square(scale=2.0), 23, 1, chunk_size=5, out_dir=tmp_path, workers=1)


@dataclass
class BlasThreads:
    """Reports the BLAS threads a sample runs with."""

    @property
    def n_uniforms(self) -> int:
        return 1

    def evaluate(self, u: np.ndarray) -> dict[str, float]:
        from threadpoolctl import threadpool_info

        blas = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        return {"threads": float(max(blas))}


def test_samples_run_with_one_blas_thread():
    """Samples run side by side in processes: BLAS threads inside each would fight over the
    cores; the caller's own setting is restored afterwards."""
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(2, user_api="blas"):  # the caller's: two threads
        assert run_chunk(BlasThreads(), 0, 0, 3)["threads"].tolist() == [1.0, 1.0, 1.0]
        assert {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"} == {2}
