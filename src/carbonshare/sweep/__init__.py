"""Sensitivity sweeps: rerun a study over a grid of config variants, in parallel on Dask.

>>> from carbonshare.sweep import variant_grid
>>> [label for label, _ in variant_grid({"weights.method": ["entropy", "equal"]})]
['weights.method=entropy', 'weights.method=equal']
"""

from carbonshare.sweep.alliances import SweepResult, sweep_alliances
from carbonshare.sweep.grid import parse_vary, set_field, variant_grid

__all__ = ["SweepResult", "parse_vary", "set_field", "sweep_alliances", "variant_grid"]
