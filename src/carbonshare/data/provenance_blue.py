"""Provenance of the blue-carbon series (one row per series and raw file).

Facts (repository, commit, vintage, licence) are copied from the raw data
notes ``SOURCES_BLUE.md`` and ``SOURCES_MORE.md``. The blue build writes this
table to ``bundled/blue_sources.csv``; :func:`carbonshare.data.sources` lists
it after the main panel's sources.
"""

from __future__ import annotations

import pandas as pd

from carbonshare.data.provenance import SOURCE_COLUMNS

_OHI = "OHI data CC BY (per OHI); WDPA terms apply to derived products"
_OHI_REGIONS = (
    "OHI regions mapped by mappings/blue_ohi_regions.csv (from ohi_scores/regions_list.csv, "
    "ohi-global @ b12f019a22757cbfd9f2ea4938d4c226e6330a3c)"
)
_NAMES = "names mapped by mappings/blue_names.csv"

BLUE_SOURCES: tuple[dict[str, str], ...] = (
    {
        "source": "Global Mangrove Watch v3.0 national extents (Bunting et al. 2022), via OHI",
        "used_for": "mangrove_km2",
        "raw_file": "ohi_mangrove_gmw3/gmw_paper_extents_1996-2020.csv",
        "repository": "OHI-Science/ohiprep_v2025",
        "path": "globalprep/hab_mangrove/v2022/data/gmw_paper_extents_1996-2020.csv",
        "commit": "117d66e2af4a2e9bd9f58f69066bb6d9b4c7689b",
        "vintage": "GMW v3.0 (Remote Sens. 14:3657; doi:10.5281/zenodo.6894273), 11 epochs 1996-2020",
        "licence": "GMW data CC BY 4.0",
        "transformation": f"{_NAMES} (French overseas departments added to FRA); annual "
        "1996-2020 by linear interpolation between epochs (flag 'interpolated'); countries "
        "absent from GMW = 0 km2 (flag 'absent')",
    },
    {
        "source": "Ocean Health Index habitat layer: salt marsh extent",
        "used_for": "saltmarsh_km2",
        "raw_file": "ohi_habitats/hab_saltmarsh_extent.csv",
        "repository": "OHI-Science/ohi-global",
        "path": "eez/layers/hab_saltmarsh_extent.csv",
        "commit": "f6f9dd32a6f0882cf6c8cc0e11fbb4e33ea0163e",
        "vintage": "one snapshot, 2017",
        "licence": _OHI,
        "transformation": f"{_OHI_REGIONS}; regions summed per economy; the 2017 value repeated "
        "in every year (flag 'static'); economies absent from the layer = 0 km2 (flag 'absent')",
    },
    {
        "source": "Ocean Health Index habitat layer: seagrass extent",
        "used_for": "seagrass_km2",
        "raw_file": "ohi_habitats/hab_seagrass_extent.csv",
        "repository": "OHI-Science/ohi-global",
        "path": "eez/layers/hab_seagrass_extent.csv",
        "commit": "ce695729497c80f93e9ec7361a73dd5307ba8da0",
        "vintage": "one snapshot, 2020",
        "licence": _OHI,
        "transformation": f"{_OHI_REGIONS}; regions summed per economy; the 2020 value repeated "
        "in every year (flag 'static'); economies absent from the layer = 0 km2 (flag 'absent')",
    },
    {
        "source": "Ocean Health Index scores (Halpern et al.), global 2024 release",
        "used_for": "ocean_health_index",
        "raw_file": "ohi_scores/index_scores_wide_all_years.csv",
        "repository": "OHI-Science/ohi-global",
        "path": "yearly_results/global2024/Results/data/index_scores_wide_all_years.csv",
        "commit": "130c4dea00dd6b956dcdef3c1c057ed50fe267cf",
        "vintage": "global2024 release, scenario years 2012-2024",
        "licence": "OHI data CC BY (per OHI)",
        "transformation": f"{_OHI_REGIONS}; the economy's own region only (outlying parts "
        "not averaged in); 1996-2011 left NaN",
    },
    {
        "source": "Transparency International CPI, datahub package",
        "used_for": "cpi_0_100 (1996-2011)",
        "raw_file": "ti_cpi_datahub/cpi.csv",
        "repository": "datasets/corruption-perceptions-index",
        "path": "data/cpi.csv",
        "commit": "5aa21955206d806593352402afd68f2a52ebc2f6",
        "vintage": "1995-2017 (0-10 scale; 2012-2017 = TI score / 10)",
        "licence": "ODC-PDDL (datapackage); TI data CC BY-ND 4.0",
        "transformation": f"read as Latin-1, empty rows dropped, 0.0 = missing; {_NAMES}; "
        "1996-2011 multiplied by 10 (flag 'rescaled'); 2012-2017 used only to check the factor",
    },
    {
        "source": "Transparency International CPI 2024 time series (CSV of TI's workbook)",
        "used_for": "cpi_0_100 (2012-2024)",
        "raw_file": "ti_cpi_2012_2023/CPI2024_GlobalResultsTrends_loupeat.csv",
        "repository": "loupeat/ti-cpi",
        "path": "CPI2024_GlobalResultsTrends_loupeat.csv (blob 2a5b4dec)",
        "commit": "d048cc35c9cd2f3ae80e3e690896c5396eb48cf6",
        "vintage": "CPI 2024 release, 2012-2024, 0-100",
        "licence": "TI data CC BY-ND 4.0",
        "transformation": "';'-separated, 2 title lines; ISO3 column checked against the "
        "country table; scores as published",
    },
    {
        "source": "SCImago Journal & Country Rank, Environmental Science (ASJC 2300)",
        "used_for": "env_science_documents",
        "raw_file": "scimago_country_rank/isaacdu84_SciPubData_by_area_1996_2016.csv",
        "repository": "isaacdu84/Global-Scientific-Publications",
        "path": "(blob b58a3970)",
        "commit": "267fab0c669659474f43bf2d4670b96adb73ab7c",
        "vintage": "scraped Dec 2017, 1996-2016",
        "licence": "SCImago data: citation required",
        "transformation": f"area 2300, column 3 = documents; Latin-1; {_NAMES}; 2017-2024 NaN",
    },
    {
        "source": "OHI/WDPA protected area of each EEZ (lsp layer), v2017 and v2016",
        "used_for": "mpa_eez_pct (1996-2017)",
        "raw_file": "ohi_lsp_mpa/v2017_area_protected_eez.csv; ohi_lsp_mpa/v2016_area_protected_eez.csv",
        "repository": "OHI-Science/ohiprep_v2017",
        "path": "globalprep/lsp/v2017/int/area_protected_eez.csv; "
        "globalprep/lsp/v2016/int/area_protected_eez.csv",
        "commit": "f7dd5f524492a564987ec6d850a86998ef4ef235",
        "vintage": "WDPA 2017 (2000-2017) and WDPA 2016 (cumulative by designation year)",
        "licence": _OHI + " (cite UNEP-WCMC & IUCN Protected Planet)",
        "transformation": f"{_OHI_REGIONS}; protected / EEZ area x 100 summed per economy; "
        "v2017 for 2000-2017, v2016 for 1996-1999 (flag 'spliced')",
    },
    {
        "source": "World Bank WDI ER.MRN.PTMR.ZS via open-numbers DDF",
        "used_for": "mpa_eez_pct (2018-2024, and 2013-2017 where OHI has none)",
        "raw_file": "wb_wdi_ddf/ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv",
        "repository": "open-numbers/ddf--world_bank--world_development_indicators",
        "path": "ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv",
        "commit": "b0807b323a3da599b201bb1e0523f9823330bf88",
        "vintage": "recent WDI vintage (SDG 14.5.1, WDPA based), 2013-2024",
        "licence": "World Bank WDI CC BY 4.0",
        "transformation": "codes checked against the country table, WB aggregates dropped; "
        "level splice after OHI's last year 2017, no adjustment (flag 'spliced')",
    },
    *(
        {
            "source": f"UN treaty status via openclimatedata: {name}",
            "used_for": "climate_agreements_score",
            "raw_file": f"treaty_status/{raw_file}",
            "repository": f"openclimatedata/{repo}",
            "path": path,
            "commit": commit,
            "vintage": vintage,
            "licence": "openclimatedata data package (ODC-PDDL/CC0 style); UN treaty data public",
            "transformation": "counts from the year of the country's own act (ratification, "
            "acceptance, accession, approval, succession); EUU dropped (WB aggregate); memberships "
            "the file overwrites from mappings/blue_treaty_corrections.csv; Kyoto Protocol "
            "ratification dates are not in the files",
        }
        for name, raw_file, repo, path, commit, vintage in (
            (
                "UNFCCC",
                "unfccc-convention-status.csv",
                "countrygroups",
                "data/unfccc.csv",
                "4a913b2cef9d8e7ba6d23c69b73d203587d85236",
                "198 parties",
            ),
            (
                "Doha Amendment to the Kyoto Protocol",
                "doha-amendment.csv",
                "doha-amendment-entry-into-force",
                "doha-amendment.csv",
                "86528cdc452348989a464a57a047c6baf904b256",
                "acceptances to Nov 2021",
            ),
            (
                "Paris Agreement",
                "paris-agreement-entry-into-force.csv",
                "paris-agreement-entry-into-force",
                "paris-agreement-entry-into-force.csv",
                "b4258e3e3a5461f65c73defa533d94a4a173cf7e",
                "status as of Feb 2023",
            ),
        )
    ),
    {
        "source": "World Bank Carbon Pricing Dashboard (data last updated 2022-04-01)",
        "used_for": "carbon_market_score",
        "raw_file": "wb_carbon_pricing_dashboard/CPI_Data_2022.xlsx",
        "repository": "muzairaslam/World-bank-Carbon-Pricing",
        "path": "data/CPI_Data_2022.xlsx (blob 38f8d7de)",
        "commit": "97ec5f7ed02f3a70981240c9984463309e736adc",
        "vintage": "April 2022, initiatives implemented 1990-2022",
        "licence": "World Bank CC BY 4.0",
        "transformation": f"implemented initiatives only; {_NAMES} (subnational -> country); "
        "EU ETS expanded by mappings/blue_eu_ets.csv; ETS + tax in force per year; 2023-2024 NaN",
    },
    {
        "source": "Germanwatch Global Climate Risk Index 2017 (events of 2015), Resource Watch export",
        "used_for": "climate_risk_index (2015)",
        "raw_file": "germanwatch_cri_rw/climate-risk-index-1.csv",
        "repository": "tahmee/SVC-Premiere-Project",
        "path": "climate-risk-index-1.csv",
        "commit": "50d306d0392b68469f8a9d4bda6798172f324b73",
        "vintage": "Global CRI 2017 (Kreft et al. 2016), events of 2015",
        "licence": "not stated; Germanwatch allows use with citation",
        "transformation": "rw_country_code checked against the country table; the 3 blank "
        f"codes {_NAMES}; score placed at 2015",
    },
    {
        "source": "Germanwatch Global Climate Risk Index 2020 (events of 2018)",
        "used_for": "climate_risk_index (2018)",
        "raw_file": "germanwatch_cri2020/climate_risk_index_CRI2020_original_upload.csv",
        "repository": "devon-sharp/devon-sharp.github.io",
        "path": "(blob 734b062a, first upload)",
        "commit": "15fb83d0c3960fb9a6b7afb143b23e1e9903a6ff",
        "vintage": "Global CRI 2020 (Eckstein et al. 2019), events of 2018",
        "licence": "not stated; cite Eckstein et al. (2019) Germanwatch",
        "transformation": f"PDF hyphenation breaks joined; {_NAMES}; score placed at 2018",
    },
    {
        "source": "Ricke, Drouet, Caldeira & Tavoni (2018) country-level social cost of carbon",
        "used_for": "load_cscc (blue_cscc.csv.gz)",
        "raw_file": "cscc_ricke2018/rcp_*_dmg_*_ssp_*.csv (18 files)",
        "repository": "country-level-scc/cscc-web-2018",
        "path": "vis/public/",
        "commit": "070f2616ff9cb3453c9f66b002420256150bd70f",
        "vintage": "CSCC database v2 (web-app split by RCP, damage function, SSP)",
        "licence": "none stated; cite Ricke et al. (2018) Nat. Clim. Change 8:895",
        "transformation": "bootstrap rows kept (case name = SSP/RCP/damage function/parameters/climate/"
        "discounting); codes checked against the country table, WLD kept",
    },
    {
        "source": "Mcleod et al. (2011) carbon burial rates (cited table)",
        "used_for": "load_burial_rates (blue_burial_rates.csv)",
        "raw_file": "",
        "repository": "Front. Ecol. Environ. 9(10):552-560, doi:10.1890/110004",
        "path": "",
        "commit": "",
        "vintage": "2011",
        "licence": "facts from a publication",
        "transformation": "mean and s.e. as docs/methods.md B5 gives them (build_blue.BURIAL_RATES); not from raw",
    },
)


def blue_sources_frame() -> pd.DataFrame:
    """The blue provenance table (one row per series and raw file)."""
    return pd.DataFrame(list(BLUE_SOURCES), columns=list(SOURCE_COLUMNS))
