"""A small synthetic coastal-country panel in the shape of the bundled blue-carbon data.

Real ISO3 codes (so maps and regions work), made-up values with the defects of
the real sources: OHI from 2012, SCImago to 2016, two CRI editions, gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNTRIES = ["IDN", "AUS", "BRA", "MEX", "NGA", "USA", "CUB", "MOZ", "MYS", "PNG", "IND", "VNM",
             "FRA", "GBR", "EGY", "SAU", "ARG", "KEN", "FJI", "JPN", "COL", "SEN"]  # fmt: skip
YEARS = range(1990, 2022)


def synthetic_panel(seed: int = 0, countries=COUNTRIES) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for iso3 in countries:
        size = rng.lognormal(3, 1)
        mang0 = 0.0 if iso3 in ("FRA", "GBR") else rng.lognormal(6, 1.5)
        salt = rng.lognormal(5, 1)
        seag = 0.0 if iso3 == "SAU" else rng.lognormal(6, 1)
        dc0 = rng.uniform(10, 60)
        for y in YEARS:
            t = y - 1990
            dc = dc0 + 0.6 * t + rng.normal(0, 1)
            mang = mang0 * (1 + (0.002 * (dc - 40) - 0.003) * t)
            rows.append(
                {
                    "iso3": iso3,
                    "year": y,
                    "co2_t": 1e7 * size * (1 + 0.02 * t) * rng.uniform(0.95, 1.05),
                    "population_density": rng.lognormal(4, 0.8) if t == 0 else np.nan,
                    "gdp_usd": 1e10 * size * (1 + 0.04 * t),
                    "population": 1e6 * size * (1 + 0.01 * t),
                    "renewables_pct": np.clip(rng.uniform(5, 60) + 0.2 * t, 0, 100),
                    "climate_risk_index": rng.uniform(20, 120) if y in (2016, 2019) else np.nan,
                    "mangrove_km2": np.nan
                    if mang0 == 0
                    else (mang if y % 5 == 0 or y > 2006 else np.nan),
                    "saltmarsh_km2": salt,
                    "seagrass_km2": np.nan if seag == 0 else seag,
                    "ocean_health_index": rng.uniform(50, 80) if y >= 2012 else np.nan,
                    "cpi_0_100": np.clip(dc + rng.normal(0, 5), 0, 100),
                    "env_science_documents": rng.poisson(20 + 5 * dc) if y <= 2016 else np.nan,
                    "mpa_eez_pct": np.clip(0.3 * t * dc / 40 + rng.uniform(0, 2), 0, 100),
                    "climate_agreements_score": min(3, (y >= 1994) + (y >= 2012) + (y >= 2016)),
                    "carbon_market_score": float(iso3 in ("FRA", "GBR") and y >= 2005)
                    + float(iso3 == "MEX" and y >= 2014),
                }
            )
    p = pd.DataFrame(rows).set_index(["iso3", "year"])
    # population density: first year only -> forward-filled by the study's nearest rule
    p["population_density"] = p.groupby(level="iso3")["population_density"].transform("first")
    p.loc[("KEN", 2003), "gdp_usd"] = np.nan  # a gap inside the window
    return p.astype(float)


def burial_rates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rate_gc_m2_yr": [226.0, 218.0, 138.0],
            "se_gc_m2_yr": [39.0, 24.0, 38.0],
            "source": "Mcleod et al. 2011",
        },
        index=pd.Index(["mangrove", "saltmarsh", "seagrass"], name="ecosystem"),
    )


def cscc(countries=COUNTRIES) -> pd.Series:
    rng = np.random.default_rng(5)
    s = pd.Series(rng.uniform(-5, 60, len(countries)), index=countries)
    s = s.drop("FJI")  # one country without a value -> world value
    s["WLD"] = 417.5
    return s
