"""Provenance of every raw file the bundled data are built from.

The facts (repository, commit, vintage, licence) are copied from the raw data
notes ``SOURCES.md``, ``SOURCES_BLUE.md`` and ``SOURCES_MORE.md`` of the shared data folder. The
build writes this table to ``bundled/sources.csv``; read it with
:func:`carbonshare.data.sources`.
"""

from __future__ import annotations

import pandas as pd

SOURCE_COLUMNS = (
    "source",
    "used_for",
    "raw_file",
    "repository",
    "path",
    "commit",
    "vintage",
    "licence",
    "transformation",
)

_WB = "World Bank WDI, CC BY 4.0"
_GM = "Gapminder CC BY 4.0; World Bank source CC BY 4.0"
_GM_REPO = "open-numbers/ddf--gapminder--systema_globalis"
_GM_COMMIT = "c63631abeb62af6db3910f68be7c2b443beca50b"
_GM_DIR = "countries-etc-datapoints/"
_GM_T = (
    "geo ids mapped to ISO3 with mappings/geo_ids.csv; years >= 1990; "
    "entities outside the country table dropped and listed in build_report.json"
)

SOURCES: tuple[dict[str, str], ...] = (
    {
        "source": "World Bank WDI (datahub population)",
        "used_for": "population",
        "raw_file": "datahub-population/population.csv",
        "repository": "datasets/population",
        "path": "data/population.csv",
        "commit": "425fc447a53a26c767a15a7de60c4cc2478a0595",
        "vintage": "WDI 2025/26 (commit 2026-03-06), 1960-2024",
        "licence": "WB data CC BY 4.0; datahub packaging ODC-PDDL",
        "transformation": "World Bank aggregates dropped by the WDI country metadata "
        "(blank Region); years >= 1990",
    },
    {
        "source": "World Bank WDI (datahub gdp)",
        "used_for": "gdp_usd",
        "raw_file": "datahub-gdp/gdp.csv",
        "repository": "datasets/gdp",
        "path": "data/gdp.csv",
        "commit": "822019c80142c162e4ca4eb1a63699ae36075078",
        "vintage": "WDI 2025/26 (commit 2026-03-20), 1960-2023",
        "licence": _WB,
        "transformation": "aggregates dropped by WDI metadata; years >= 1990",
    },
    {
        "source": "World Bank WDI bulk download, topic 16 Urban development",
        "used_for": "urban_pct, population_density",
        "raw_file": "wb-wdi-2021-urban/urban-development-raw-2021.csv",
        "repository": "light-and-salt/World-Bank-Data-by-Indicators",
        "path": "urban-development/urban-development-raw-2021.csv",
        "commit": "f6bc0432af81a31164cbc090d939d2114170c9dc",
        "vintage": "WDI last updated 2021-09-15, 1960-2020",
        "licence": _WB,
        "transformation": "series SP.URB.TOTL.IN.ZS and EN.POP.DNST; wide to long; "
        "aggregates dropped by WDI metadata; years >= 1990",
    },
    {
        "source": "World Bank WDI country metadata (FY2022 classification)",
        "used_for": "country table: wb_region, income_group, developed; aggregate list",
        "raw_file": "wb-wdi-2021-urban/Metadata_Country_API_16_DS2_en_csv_v2_3064261.csv",
        "repository": "light-and-salt/World-Bank-Data-by-Indicators",
        "path": "urban-development/Metadata_Country_API_16_DS2_en_csv_v2_3064261.csv",
        "commit": "f6bc0432af81a31164cbc090d939d2114170c9dc",
        "vintage": "July 2021 (FY2022 income groups)",
        "licence": _WB,
        "transformation": "rows with a Region are economies (217); blank Region = aggregate; "
        "TWN and VEN completed by mappings/country_overrides.csv",
    },
    {
        "source": "Global Carbon Project / Global Carbon Atlas (GCB 2022)",
        "used_for": "co2_t",
        "raw_file": "global-carbon-atlas/mtco2_1960-2021.csv",
        "repository": "jkopec/global-emission-and-disaster-analysis",
        "path": "res/co2_emissions/mtco2_1960-2021.csv",
        "commit": "35626670ec9abbea5a906070e67dddab2f61b2a6",
        "vintage": "GCB 2022 (Friedlingstein et al. 2022, ESSD 14:4811; Andrew & Peters "
        "2022, zenodo 7215364), 1960-2021 (2020-2021 preliminary)",
        "licence": "GCP data: citation required",
        "transformation": "country names mapped with mappings/gcp_names.csv; MtCO2 x 1e6 = t "
        "(rounded to 0.001 t); years >= 1990",
    },
    {
        "source": "Global Carbon Budget 2024 via Our World in Data",
        "used_for": "co2_consumption_t",
        "raw_file": "owid-consumption-co2/consumption-co2-emissions.csv",
        "repository": "szmiciara/co2_emissions_demo",
        "path": "consumption-co2-emissions.csv",
        "commit": "6a14b978087a580138178a7f7b07cfa1eb5e7ac7",
        "vintage": "GCB 2024, 1990-2023",
        "licence": "OWID CC BY 4.0; GCB citation required",
        "transformation": "ISO3 from the Code column; regions and OWID_ aggregates dropped "
        "by mappings/owid_entities.csv",
    },
    {
        "source": "WB/WHO clean cooking via Our World in Data",
        "used_for": "clean_cooking_pct",
        "raw_file": "owid-clean-cooking/access-to-clean-fuels-and-technologies-for-cooking.csv",
        "repository": "xiawuchalei/532Deploy",
        "path": "access-to-clean-fuels-and-technologies-for-cooking.csv",
        "commit": "a5ed0825b1a588abc37f48244c43636c648ef600",
        "vintage": "2023 (file last changed 2023-06-04), 1990-2020",
        "licence": "OWID CC BY 4.0; WB data CC BY 4.0",
        "transformation": "ISO3 from the Code column; WHO regions and OWID_ aggregates dropped "
        "by mappings/owid_entities.csv",
    },
    {
        "source": "Gapminder systema_globalis: CO2 intensity (EN.GHG.CO2.RT.GDP.PP.KD)",
        "used_for": "co2_per_ppp_gdp",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--co2_intensity_of_economic_"
        "output_kg_co2_per_2021_ppp_of_gdp--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--co2_intensity_of_economic_output_kg_co2_per_2021"
        "_ppp_of_gdp--by--geo--time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01, 1990-2024",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: urban population % (recent vintage)",
        "used_for": "urban_pct_recent",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--urban_population_percent_of_"
        "total--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--urban_population_percent_of_total--by--geo--time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01, 1960-2024",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: service workers % (ILOSTAT)",
        "used_for": "services_employment_pct",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--service_workers_percent_of_"
        "employment--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--service_workers_percent_of_employment--by--geo--"
        "time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01 (ILOSTAT modelled estimates), 1991-2023",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: forest area km2 (AG.LND.FRST.K2)",
        "used_for": "forest_area_km2",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--forest_area_sq_km--by--geo--"
        "time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--forest_area_sq_km--by--geo--time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01 (FAO FRA revisions), 1990-2023",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: GDP per employee (ILOSTAT)",
        "used_for": "gdp_per_employed",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--gdpperemployee_us_inflation_"
        "adjusted--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--gdpperemployee_us_inflation_adjusted--by--geo--"
        "time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01 (ILOSTAT, constant 2015 PPP $), 1991-2025",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: GNI per capita, Atlas (NY.GNP.PCAP.CD)",
        "used_for": "gni_per_capita_usd",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--gnipercapita_atlasmethod_"
        "current_us--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--gnipercapita_atlasmethod_current_us--by--geo--time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01, 1962-2024",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: GNI PPP (NY.GNP.MKTP.PP.CD)",
        "used_for": "gni_ppp",
        "raw_file": "gapminder-systema-globalis/ddf--datapoints--total_gni_ppp_current_"
        "international--by--geo--time.csv",
        "repository": _GM_REPO,
        "path": _GM_DIR + "ddf--datapoints--total_gni_ppp_current_international--by--geo--time.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01, 1990-2024",
        "licence": _GM,
        "transformation": _GM_T,
    },
    {
        "source": "Gapminder systema_globalis: country entities",
        "used_for": "country table: sdg_region, coastal (landlocked); geo id mapping",
        "raw_file": "gapminder-systema-globalis/ddf--entities--geo--country.csv",
        "repository": _GM_REPO,
        "path": "ddf--entities--geo--country.csv",
        "commit": _GM_COMMIT,
        "vintage": "2026-03-01",
        "licence": "Gapminder CC BY 4.0",
        "transformation": "un_sdg_region id -> name (ddf--entities--geo--un_sdg_region.csv); "
        "coastal = landlocked column is 'coastline'; COD (coastal) and ETH (landlocked) "
        "corrected, MAF/SXM/CHI completed, in mappings/country_overrides.csv",
    },
    {
        "source": "open-numbers DDF of the current WDI: forest rents (NY.GDP.FRST.RT.ZS)",
        "used_for": "forest_rents_pct_gdp",
        "raw_file": "wb_wdi_ddf/ddf--datapoints--ny_gdp_frst_rt_zs--by--economy--year.csv",
        "repository": "open-numbers/ddf--world_bank--world_development_indicators",
        "path": "ddf--datapoints--ny_gdp_frst_rt_zs--by--economy--year.csv",
        "commit": "e71fd3bcffe915b521e482e3e80a59019901f58b",
        "vintage": "current WDI, 1970-2021 (transcribed; git hash-object ead1f850)",
        "licence": _WB,
        "transformation": "economy ids upper-cased and checked against the WDI metadata; "
        "aggregates dropped; years >= 1990; a 0 after a positive value of the same economy is "
        "missing (GBR 2019-2021, TUR 2021, TKM 2012-2017, KAZ 1998; each in repairs.csv); "
        "27 economies that are 0 in every year kept as published",
    },
    {
        "source": "open-numbers DDF of the current WDI: marine protected areas (ER.MRN.PTMR.ZS)",
        "used_for": "mpa_pct",
        "raw_file": "wb_wdi_ddf/ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv",
        "repository": "open-numbers/ddf--world_bank--world_development_indicators",
        "path": "ddf--datapoints--er_mrn_ptmr_zs--by--economy--year.csv",
        "commit": "b0807b323a3da599b201bb1e0523f9823330bf88",
        "vintage": "current WDI (WDPA / SDG 14.5.1), 2013-2024 (transcribed; git hash-object "
        "8b9a96da)",
        "licence": _WB,
        "transformation": "economy ids upper-cased and checked against the WDI metadata; "
        "aggregates dropped; values (many exact 0 and 100) as published",
    },
    {
        "source": "World Bank WDI download: CO2 emissions kt (EN.ATM.CO2E.KT)",
        "used_for": "co2_wdi_t; co2_per_ppp_gdp_wdi 2020 (numerator)",
        "raw_file": "wb_wdi_api/API_EN.ATM.CO2E.KT_DS2_en_csv_v2_6299644.csv",
        "repository": "saikrishna7600/clustering",
        "path": "API_EN.ATM.CO2E.KT_DS2_en_csv_v2_6299644.csv",
        "commit": "9f3e4637aa62118511d23dc05205e7ee25364912",
        "vintage": "WDI last updated 2023-12-18 (Climate Watch / CAIT based; discontinued "
        "2024), 1990-2020",
        "licence": _WB,
        "transformation": "wide to long; aggregates dropped by WDI metadata; kt x 1000 = t "
        "(rounded to 0.001 t)",
    },
    {
        "source": "World Bank WDI download: CO2 per PPP $ of GDP (EN.ATM.CO2E.PP.GD)",
        "used_for": "co2_per_ppp_gdp_wdi",
        "raw_file": "wb_wdi_api/API_EN.ATM.CO2E.PP.GD_DS2_en_csv_v2_4904492.csv",
        "repository": "saikamal216/assignment2",
        "path": "API_EN.ATM.CO2E.PP.GD_DS2_en_csv_v2_4904492.csv",
        "commit": "bff2ab146636c3db7efb506f1f0a5686c5409a66",
        "vintage": "WDI last updated 2023-03-01, 1990-2019 (no 2020)",
        "licence": _WB,
        "transformation": "wide to long; aggregates dropped; 2020 derived as EN.ATM.CO2E.KT x "
        "1e6 / NY.GDP.MKTP.PP.CD (each derived value in repairs.csv)",
    },
    {
        "source": "World Bank WDI download: GDP PPP (NY.GDP.MKTP.PP.CD)",
        "used_for": "gdp_ppp_usd; co2_per_ppp_gdp_wdi 2020 (denominator)",
        "raw_file": "wb_wdi_api/API_NY.GDP.MKTP.PP.CD_DS2_en_csv_v2_5455171.csv",
        "repository": "julianhinz/sanctions-coalitions",
        "path": "input/gdp_ppp/API_NY.GDP.MKTP.PP.CD_DS2_en_csv_v2_5455171.csv",
        "commit": "08bea136a770405873c212c7ab8551996e2bd2e5",
        "vintage": "WDI last updated 2023-05-10, 1990-2021",
        "licence": _WB,
        "transformation": "wide to long; aggregates dropped by WDI metadata",
    },
    {
        "source": "World Bank WDI download: renewable energy share (EG.FEC.RNEW.ZS)",
        "used_for": "renewables_pct",
        "raw_file": "wb_wdi_api/API_EG.FEC.RNEW.ZS_DS2_en_csv_v2_5995541.csv",
        "repository": "kamalibakthavatchalam/statistics-ADS1-ASS2-kamali",
        "path": "API_EG.FEC.RNEW.ZS_DS2_en_csv_v2_5995541.csv",
        "commit": "234032978e548eb0781edede2bcc9f9be86c5ad6",
        "vintage": "WDI last updated 2023-10-26, 1990-2021 (2021 for few economies)",
        "licence": _WB,
        "transformation": "wide to long; aggregates dropped by WDI metadata",
    },
    {
        "source": "UN Statistics Division, National Accounts Main Aggregates: GDP current US$",
        "used_for": "gdp_usd gap fill (country-years without a World Bank value)",
        "raw_file": "unsd_ama_gdp/Download-GDPcurrent-USD-countries_2026vintage.xlsx",
        "repository": "Sparshcoder18/gdp-growth-analysis",
        "path": "data/Download-GDPcurrent-USD-countries.xlsx",
        "commit": "e7058988356ad0ef9253d7730af00b8b38a27ad5",
        "vintage": "released Dec 2025 (file dated 2026-02-04), 1970-2024",
        "licence": "UN data, free use with attribution (UNSD)",
        "transformation": "row 'Gross Domestic Product (GDP)'; M49 CountryID matched to the "
        "country table, others listed in mappings/unsd_m49.csv; used only for country-years "
        "1990-2023 the World Bank series lacks (never replacing a WB value; each in repairs.csv)",
    },
    {
        "source": "Country capitals (concept country-capitals list)",
        "used_for": "country table: capital, capital_lat, capital_lon",
        "raw_file": "capitals/country-capitals.csv",
        "repository": "fidelcanojr/WorldCapitalsDistanceParser",
        "path": "country-capitals.csv",
        "commit": "aadd190b63ce7694b11d03e91264eaeadfb50ad4",
        "vintage": "2019-12-27",
        "licence": "not stated (unclear)",
        "transformation": "parsed with keep_default_na=False and the unquoted 'Washington, D.C.' "
        "re-joined; ISO2 -> ISO3 (KO -> XKX); corrections in mappings/capital_corrections.csv",
    },
    {
        "source": "Natural Earth 1:110m admin-0 countries",
        "used_for": "boundaries; country table: un_region, un_subregion",
        "raw_file": "naturalearth-110m/ne_110m_admin_0_countries.json",
        "repository": "SameerJain901/datasets",
        "path": "ne_110m_admin_0_countries.json",
        "commit": "ad2defc36ffe97fc1f644f609967b86800288ee6",
        "vintage": "Natural Earth about 4.1/5.0",
        "licence": "public domain",
        "transformation": "iso3 = ISO_A3, else ISO_A3_EH, else ADM0_A3 via mappings/ne_codes.csv; "
        "properties reduced to iso3 and name; coordinates rounded to 3 decimals",
    },
    {
        "source": "CEPII GeoDist dist_cepii (Mayer & Zignago 2011, CEPII WP 2011-25)",
        "used_for": "country pairs: contig, comlang_off, dist, distcap, distw, distwces "
        "(carbonshare.geo.distance_matrix)",
        "raw_file": "cepii_geodist/dist_cepii.csv",
        "repository": "za-csai/comp3736-cwk1",
        "path": "dist_cepii.csv",
        "commit": "000940da6b3fe20a821ab301a869092ce65d2592",
        "vintage": "GeoDist 2011 (CSV export of CEPII's dist_cepii.dta)",
        "licence": "Etalab Open Licence 2.0 (cite Mayer & Zignago 2011)",
        "transformation": "legacy codes ROM, ZAR, TMP, PAL, YUG, ANT mapped with "
        "mappings/cepii_codes.csv; pairs of two table countries kept once (iso_o < iso_d); "
        "'.' = missing; territories outside the table listed in build_report.json",
    },
    {
        "source": "pycountry (ISO 3166 tables)",
        "used_for": "country table: iso2, m49, name, aliases",
        "raw_file": "",
        "repository": "pypi: pycountry",
        "path": "",
        "commit": "",
        "vintage": "installed version at build time",
        "licence": "LGPL-2.1 (library); ISO 3166 codes",
        "transformation": "names overridden where noted in mappings/country_overrides.csv",
    },
)


def sources_frame() -> pd.DataFrame:
    """The provenance table as a DataFrame (one row per raw file)."""
    return pd.DataFrame(list(SOURCES), columns=list(SOURCE_COLUMNS))
