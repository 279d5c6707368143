"""Shared helpers of the benchmark scripts (not part of the library).

- :func:`interleaved`: time several candidates in turn, ``repeat`` rounds, so that a change of
  machine load hits every candidate alike; report min and median.
- :func:`blas_threads`: pin the BLAS thread pool (an oversubscribed OpenBLAS turns a 2 ms kernel
  into 25 ms); use ``blas_threads(1)`` around kernels shorter than ~10 ms.
- :func:`read_bandwidth` and :func:`matmul_rate`: the machine's physical limits, measured in the
  same run as the figure they bound.
- :func:`header`: date, machine and library versions, printed at the top of every script.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata

import numpy as np

CORE_LIBRARIES = ("numpy", "scipy", "pandas", "numba")


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of the repetitions of one candidate."""

    times: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def __str__(self) -> str:
        return f"{_fmt(self.min)} (median {_fmt(self.median)}, {len(self.times)} runs)"


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def interleaved(
    candidates: dict[str, Callable[[], object]], *, repeat: int = 5, warmup: bool = True
) -> dict[str, Timing]:
    """Time each candidate ``repeat`` times, in turn (A B C A B C ...), after one warm-up call."""
    if warmup:
        for fn in candidates.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, fn in candidates.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: Timing(tuple(t)) for name, t in times.items()}


@contextmanager
def blas_threads(n: int = 1):
    """Limit the BLAS / OpenMP thread pools to ``n`` threads inside the block."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=n):
        yield


def read_bandwidth(nbytes: int = 1 << 29, repeat: int = 5) -> float:
    """Bytes per second of one streaming read (``np.sum`` of a float64 array of ``nbytes``)."""
    a = np.ones(nbytes // 8)
    with blas_threads(1):
        best = min(_once(a.sum) for _ in range(repeat))
    return a.nbytes / best


def matmul_rate(n: int = 2000, repeat: int = 3) -> float:
    """Floating-point operations per second of a dense n x n float64 product (2 n^3 flops)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)), rng.random((n, n))
    best = min(_once(lambda: a @ b) for _ in range(repeat))
    return 2.0 * n**3 / best


def command_env() -> dict[str, str]:
    """The environment of a timed ``carbonshare`` command, as on a user's machine after its
    first run: carbonshare's bytecode compiled (once, here) and written, whatever
    ``PYTHONDONTWRITEBYTECODE`` this shell sets (compiling the package's sources took 0.2 s
    of every timed run when it was set)."""
    import compileall
    import os

    import carbonshare

    compileall.compile_dir(os.path.dirname(carbonshare.__file__), quiet=1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _once(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def header(peers: tuple[str, ...] = ()) -> str:
    """One paragraph: when, on what, with which versions (carbonshare, core libraries, peers)."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    libs = ", ".join(f"{d} {version(d)}" for d in ("carbonshare", *CORE_LIBRARIES, *peers))
    return (
        f"{_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC; {_cpu_model()}, "
        f"{os.cpu_count()} cores, {mem_gb:.0f} GB; load average {load}; "
        f"Python {platform.python_version()}; {libs}"
    )
