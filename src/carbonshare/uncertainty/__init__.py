"""Monte Carlo uncertainty of the alliance allocation (issue 11): what varies
(:mod:`~carbonshare.uncertainty.spec`), one sample (:mod:`~carbonshare.uncertainty.kernel`),
the run on local processes or a Dask cluster with Parquet chunks and resume
(:mod:`~carbonshare.uncertainty.run`) and the summaries (:mod:`~carbonshare.uncertainty.summary`).
"""

from carbonshare.uncertainty.spec import UncertaintyConfig

__all__ = ["UncertaintyConfig"]
