"""Country names and codes to ISO3.

Matching is on a normalised form of the name: accents stripped, case folded,
``&`` read as ``and``, punctuation dropped, whitespace collapsed, and a
leading "the" ignored. Codes are accepted as ISO3, ISO2 or UN M49 numbers.
The names known to carbonshare are the ``name`` and ``aliases`` columns of
:func:`carbonshare.data.load_countries`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from carbonshare.errors import DataError

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_SPACE = re.compile(r"\s+")
#: apostrophes and their look-alikes (including the cp1252 byte 0x92 read as latin-1)
_QUOTES = ("'", "\u2019", "\u00b4", "`", "\x92")


def normalise_name(name: str) -> str:
    """Normalised form of a country name used for matching.

    Examples
    --------
    >>> normalise_name("  Côte d'Ivoire ")
    'cote divoire'
    >>> normalise_name("The Bahamas")
    'bahamas'
    >>> normalise_name("Bosnia & Herzegovina")
    'bosnia and herzegovina'
    >>> normalise_name("Congo, Republic of the")
    'congo republic'
    """
    text = str(name)
    for quote in _QUOTES:
        text = text.replace(quote, "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    for tail in (" of the", " of"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text


def build_name_index(countries: pd.DataFrame) -> dict[str, str]:
    """Map normalised names, aliases and codes to ISO3.

    Parameters
    ----------
    countries : DataFrame indexed by ``iso3`` with ``iso2``, ``m49``, ``name``
        and ``aliases`` (``;``-separated) columns.

    Raises
    ------
    DataError  if one name or code points to two countries (names both).
    """
    index: dict[str, str] = {}

    def add(key: str, iso3: str, what: str) -> None:
        if not key:
            return
        other = index.get(key)
        if other is not None and other != iso3:
            raise DataError(
                f"{what} {key!r} matches both {other} and {iso3}; "
                "make the alias unique in carbonshare/data/mappings/aliases.csv"
            )
        index[key] = iso3

    for iso3, row in countries.iterrows():
        iso3 = str(iso3)
        add(iso3.casefold(), iso3, "code")
        if isinstance(row.get("iso2"), str) and row["iso2"]:
            add(row["iso2"].casefold(), iso3, "code")
        if isinstance(row.get("m49"), str) and row["m49"]:
            add(str(int(row["m49"])), iso3, "code")
    for iso3, row in countries.iterrows():
        names = [row["name"], *str(row.get("aliases") or "").split(";")]
        for name in names:
            if name and name.strip():
                add(normalise_name(name), str(iso3), "name")
    return index


def _index_of(countries: pd.DataFrame | None) -> dict[str, str]:
    """The name index of ``countries``; of the bundled countries (built once per process)
    when None."""
    if countries is None:
        from carbonshare.data.bundled import _name_index

        return _name_index()
    return build_name_index(countries)


def match_country(name: object, index: Mapping[str, str]) -> str | None:
    """ISO3 of ``name`` (a name or an ISO3/ISO2/M49 code), or None."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    if isinstance(name, int | float) and float(name).is_integer():
        return index.get(str(int(name)))
    text = str(name).strip()
    if text.isdigit():
        return index.get(str(int(text)))
    if len(text) in (2, 3) and text.isalpha():
        hit = index.get(text.casefold())
        if hit is not None:
            return hit
    return index.get(normalise_name(text))


def close_matches(name: object, index: Mapping[str, str], n: int = 3) -> list[str]:
    """Up to ``n`` known names closest to ``name`` (difflib), formatted 'name (ISO3)'."""
    keys = [k for k in index if len(k) > 3]
    found = difflib.get_close_matches(normalise_name(str(name)), keys, n=n, cutoff=0.6)
    return [f"{k} ({index[k]})" for k in found]


def unknown_country_message(name: object, index: Mapping[str, str], where: str = "") -> str:
    """Error text for a name that matches no country, with close matches."""
    near = close_matches(name, index)
    hint = f"closest known names: {', '.join(near)}" if near else "no close match"
    place = f" {where}" if where else ""
    return (
        f"unknown country {name!r}{place}; {hint}. Use an ISO3 code or add the name "
        "to carbonshare/data/mappings/aliases.csv"
    )


def _iso_lookup(name: object) -> str | None:
    """ISO3 of any ISO 3166 country (also outside the country table), via pycountry."""
    import pycountry

    try:
        return pycountry.countries.lookup(str(name).strip()).alpha_3
    except LookupError:
        return None


def to_iso3(
    names: Iterable[object],
    countries: pd.DataFrame | None = None,
    *,
    known_only: bool = True,
) -> list[str]:
    """ISO3 codes of country names or codes.

    Accepts English names and their common variants ("Viet Nam", "Russia",
    "Korea, Rep.", "Türkiye", "United States of America"), ISO3, ISO2 and UN
    M49 codes.

    Parameters
    ----------
    names : iterable of names or codes.
    countries : country table (default: the bundled one).
    known_only : if False, names of ISO 3166 entities outside the country
        table (territories such as Guadeloupe or Mayotte) are looked up in
        pycountry; by default they are errors.

    Returns
    -------
    list of ISO3 codes, in the order of ``names``.

    Raises
    ------
    DataError  naming the first unknown name and the closest known names.

    Examples
    --------
    >>> to_iso3(["Viet Nam", "Russia", "Korea, Rep.", "Türkiye", "US", 276])
    ['VNM', 'RUS', 'KOR', 'TUR', 'USA', 'DEU']
    >>> to_iso3(["Guadeloupe"], known_only=False)
    ['GLP']
    """
    index = _index_of(countries)
    out = []
    for name in names:
        hit = match_country(name, index)
        if hit is None and not known_only:
            hit = _iso_lookup(name)
        if hit is None:
            raise DataError(unknown_country_message(name, index))
        out.append(hit)
    return out
