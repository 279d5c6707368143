"""Run the PBL ``effort-sharing`` allocation functions on inputs given in a JSON file.

This is a *script* for a Python >= 3.12 interpreter that has ``effort-sharing``
installed (``effortsharing`` package). It is not a test module: pytest does not
collect it as tests and importing it is harmless (the heavy imports live inside
:func:`run`), so the doctest collector of the 3.11 test suite can import it.
``tests/principles/test_effort_sharing_crosscheck.py`` calls it in a subprocess::

    /path/to/py312/bin/python effort_sharing_runner.py inputs.json results.json

effort-sharing's allocation functions (``gf``, ``pc``, ``pcc``, ``ap``, ``gdr``,
``ecpc`` in ``effortsharing.allocation``) take a ``Config`` and a region and load
their data through loaders that read effort-sharing's own input files. Here:

- ``load_emissions`` (historical emissions and the baseline) and
  ``load_future_emissions`` (the global pathway) are replaced, in every
  allocation module that imported them, by functions returning the JSON's
  data, with the variable names and dimensions effort-sharing expects (every
  gas / LULUCF variant holds the same series; the pathway carries the
  singleton scenario dimensions ``NegEmis``, ``NonCO2red``, ``Temperature``,
  ``Risk``, ``Timing``, ``Scenario`` that ``ecpc`` transposes to);
- ``load_rci`` (read from the GDR calculator's spreadsheets) is replaced by
  the JSON's responsibility-capability index, per region and year up to 2030
  (as the GDR calculator files);
- the files that the real loaders and ``ap`` read from ``config.paths.output``
  are written by effort-sharing's own code or in its own format in a
  temporary directory: ``startyear_<t0>/xr_dataread.nc`` (population, GDP,
  baseline, pathway; read by the real ``load_dataread`` / ``load_population``),
  ``all_countries.npy`` (the region list ``pc`` sums over) and the AP
  correction files ``xr_rbw_<gas>_<lulucf>.nc`` written by effort-sharing's
  ``save_rbw``.

Input JSON (years are integers, series are lists aligned with ``years``)::

    {"start_year_analysis": 2021, "convergence_years": [2050],
     "convergence_year_gdr": 2040, "hist_startyears": [1990], "discount_rates": [0.0],
     "regions": ["USA", ...],                      # without "EARTH"
     "years": [1990, ..., 2100],
     "emissions": {"USA": [...], ..., "EARTH": [...]},   # NaN (null) where absent
     "baseline":  {...}, "population": {...}, "gdp": {...},
     "pathway": [...],                             # global pathway, same years
     "rci": {"years": [2021, ..., 2030], "values": {"USA": [...], ...}}}

Output JSON: ``{"years": [t0, ..., 2100], "GF": {region: [...]}, "PC": {...},
"AP": {...}, "GDR": {...}, "PCC": {conv_year: {region: [...]}},
"ECPC": {"<hist_start>/<discount>/<conv_year>": {region: [...]}}}``.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path

SCENARIO_DIMS = ("NegEmis", "NonCO2red", "Temperature", "Risk", "Timing", "Scenario")


def _series(xr, np, values: dict, regions: list[str], years: list[int]):
    data = np.array([[np.nan if v is None else v for v in values[r]] for r in regions], float)
    return xr.DataArray(data, dims=["Region", "Time"], coords={"Region": regions, "Time": years})


def _to_lists(np, da, regions: list[str], years) -> dict[str, list[float]]:
    extra = [d for d in da.dims if d not in ("Region", "Time")]
    if any(da.sizes[d] != 1 for d in extra):
        raise ValueError(f"unexpected non-singleton dimensions {extra} in {da.name}")
    da = da.squeeze(extra, drop=True) if extra else da
    out = {}
    for region in regions:
        row = da.sel(Region=region) if "Region" in da.dims else da
        out[region] = [float(v) for v in np.asarray(row.sel(Time=years).values, float)]
    return out


def run(spec: dict) -> dict:
    """Compute GF, PC, PCC, AP, GDR and ECPC with effort-sharing on ``spec``'s inputs."""
    import numpy as np
    import xarray as xr
    from effortsharing.config import Config, DataPaths, DimensionRanges, Parameters
    from effortsharing.save import save_rbw

    # the modules, not the functions of the same name that the package re-exports
    ap_mod, ecpc_mod, gdr_mod, gf_mod, pc_mod, pcc_mod = (
        importlib.import_module(f"effortsharing.allocation.{name}")
        for name in ("ap", "ecpc", "gdr", "gf", "pc", "pcc")
    )

    t0 = int(spec["start_year_analysis"])
    regions = list(spec["regions"])
    everyone = [*regions, "EARTH"]
    years = [int(y) for y in spec["years"]]
    out_years = list(range(t0, 2101))

    emissions = _series(xr, np, spec["emissions"], everyone, years)
    baseline = _series(xr, np, spec["baseline"], everyone, years)
    population = _series(xr, np, spec["population"], everyone, years)
    gdp = _series(xr, np, spec["gdp"], everyone, years)
    pathway = xr.DataArray(
        np.array([np.nan if v is None else v for v in spec["pathway"]], float),
        dims=["Time"],
        coords={"Time": years},
    ).sel(Time=out_years)
    pathway = pathway.expand_dims({d: [0] for d in SCENARIO_DIMS})

    hist_names = ["GHG_hist", "GHG_hist_excl", "CO2_hist", "CO2_hist_excl"]
    base_names = ["GHG_base_incl", "GHG_base_excl", "CO2_base_incl", "CO2_base_excl"]
    globe_names = ["GHG_globe", "GHG_globe_excl", "CO2_globe", "CO2_globe_excl"]
    emission_data = xr.Dataset(
        {**{n: emissions for n in hist_names}, **{n: baseline for n in base_names}}
    )
    future = xr.Dataset({n: pathway for n in globe_names})

    tmp = Path(tempfile.mkdtemp(prefix="effort_sharing_runner_"))
    (tmp / f"startyear_{t0}").mkdir()
    config = Config(
        load_intermediate_files=False,
        save_intermediate_files=False,
        paths=DataPaths(input=tmp, intermediate=tmp, output=tmp),
        params=Parameters(
            convergence_year_gdr=int(spec["convergence_year_gdr"]),
            convergence_year_base=int(spec["convergence_year_gdr"]),
            gwp_ch4=0.0,
            gwp_n2o=0.0,
            start_year_analysis=t0,
            harmonization_year=t0,
            polynomial_fit_2030relation=3,
            version_ndcs="",
        ),
        dimension_ranges=DimensionRanges(
            discount_rates=[float(d) for d in spec["discount_rates"]],
            hist_emissions_startyears=[int(y) for y in spec["hist_startyears"]],
            convergence_years=[int(y) for y in spec["convergence_years"]],
            peak_temperature=[],
            peak_temperature_saved=[],
            negative_emissions=[],
            risk_of_exceedance=[],
            non_co2_reduction=[],
            timing_of_mitigation_action=[],
        ),
    )

    # Files read by effort-sharing's own loaders / written by its own code.
    np.save(tmp / "all_countries.npy", np.array(regions, dtype=object), allow_pickle=True)
    dataread = xr.Dataset(
        {
            "Population": population,
            "GDP": gdp,
            **{n: baseline for n in base_names},
            **{n: pathway.squeeze(SCENARIO_DIMS, drop=True) for n in globe_names},
        }
    )
    dataread.to_netcdf(tmp / f"startyear_{t0}" / "xr_dataread.nc")
    save_rbw(config, dataread, {r: r for r in regions})

    rci_years = [int(y) for y in spec["rci"]["years"]]
    rci = xr.Dataset({"rci": _series(xr, np, spec["rci"]["values"], regions, rci_years)})

    def load_emissions(config):
        return emission_data

    def load_future_emissions(config, gas="GHG", lulucf="incl"):
        name = {"incl": "", "excl": "_excl"}[lulucf]
        return future[f"{gas}_globe{name}"]

    def load_rci(config, region_dim=None):
        return rci

    for module in (gf_mod, pc_mod, ap_mod, gdr_mod, ecpc_mod):
        if hasattr(module, "load_emissions"):
            module.load_emissions = load_emissions
        if hasattr(module, "load_future_emissions"):
            module.load_future_emissions = load_future_emissions
    gdr_mod.load_rci = load_rci

    result: dict = {"years": out_years, "PCC": {}, "ECPC": {}}
    for name in ("GF", "PC", "AP", "GDR"):
        result[name] = {}
    for region in regions:
        gf_da = gf_mod.gf(config, region)
        pc_da = pc_mod.pc(config, region)
        ap_da = ap_mod.ap(config, region)
        result["GF"][region] = _to_lists(np, gf_da, [region], out_years)[region]
        result["PC"][region] = _to_lists(np, pc_da, [region], out_years)[region]
        result["AP"][region] = _to_lists(np, ap_da, [region], out_years)[region]
        gdr_da = gdr_mod.gdr(config, region, ap_da=ap_da)
        result["GDR"][region] = _to_lists(np, gdr_da, [region], out_years)[region]
        pcc_da = pcc_mod.pcc(config, region, gf_da=gf_da, pc_da=pc_da)
        for conv in config.dimension_ranges.convergence_years:
            one = pcc_da.sel(Convergence_year=conv, drop=True).rename("PCC")
            result["PCC"].setdefault(str(conv), {})[region] = _to_lists(
                np, one, [region], out_years
            )[region]
        ecpc_da = ecpc_mod.ecpc(config, region)
        for start in config.dimension_ranges.hist_emissions_startyears:
            for rate in config.dimension_ranges.discount_rates:
                for conv in config.dimension_ranges.convergence_years:
                    one = ecpc_da.sel(
                        Historical_startyear=start,
                        Discount_factor=rate,
                        Convergence_year=conv,
                        drop=True,
                    ).rename("ECPC")
                    key = f"{start}/{rate:g}/{conv}"
                    result["ECPC"].setdefault(key, {})[region] = _to_lists(
                        np, one, [region], out_years
                    )[region]
    return result


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: effort_sharing_runner.py INPUT.json [OUTPUT.json]\n")
        return 2
    spec = json.loads(Path(argv[1]).read_text())
    text = json.dumps(run(spec))
    if len(argv) == 3:
        Path(argv[2]).write_text(text)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
