"""Shared fixtures of the accounting tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carbonshare.accounting import IOTable, load_table


@pytest.fixture(scope="session")
def de1995() -> IOTable:
    return load_table("de1995")


@pytest.fixture(scope="session")
def pymrio_test():
    """pymrio's test MRIO (6 regions x 8 sectors) - SYNTHETIC, undocumented origin."""
    pymrio = pytest.importorskip("pymrio")
    return pymrio.load_test().calc_all()


def random_table(seed: int, n: int = 5, regions: int = 1, m: int = 2) -> IOTable:
    """A random balanced table (synthetic): productive A, positive final demand."""
    rng = np.random.default_rng(seed)
    N = n * regions
    A = rng.random((N, N)) * rng.random((N, N)) < 0.6
    A = A * rng.random((N, N))
    A = A / A.sum(axis=0).clip(min=1e-9) * rng.uniform(0.1, 0.8, N)
    Y = rng.uniform(0.5, 10.0, (N, m * regions))
    x = np.linalg.solve(np.eye(N) - A, Y.sum(axis=1))
    Z = A * x[None, :]
    if regions == 1:
        sec = [f"s{i}" for i in range(N)]
        fd = [f"c{j}" for j in range(m)]
    else:
        sec = pd.MultiIndex.from_product(
            [[f"r{r}" for r in range(regions)], [f"s{i}" for i in range(n)]]
        )
        fd = pd.MultiIndex.from_product(
            [[f"r{r}" for r in range(regions)], [f"c{j}" for j in range(m)]]
        )
    F = pd.DataFrame([rng.uniform(0.0, 5.0, N)], index=["CO2"], columns=sec)
    F_Y = pd.DataFrame([rng.uniform(0.0, 2.0, len(fd))], index=["CO2"], columns=fd)
    return IOTable(
        pd.DataFrame(Z, index=sec, columns=sec),
        pd.DataFrame(Y, index=sec, columns=fd),
        F=F,
        F_Y=F_Y,
        name=f"random{seed}",
        rtol=1e-9,
    )
