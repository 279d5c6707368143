"""Input-output responsibility accounting (docs/methods.md C1 and C3).

Who is responsible for emissions - producer, consumer, extractor, income
receiver, or shared along the chain - computed exactly from (multi-regional)
input-output tables, and product-oriented supply-chain responsibility
accounts. See ``docs/responsibility.md``.

Main entry points: :class:`IOTable`, :func:`read_iotable`, :func:`load_table`
(bundled real tables ``de1995``, ``de2009``, ``nl2000``, ``us2021``), the
perspectives (:func:`production_based`, :func:`consumption_based`,
:func:`income_based`, :func:`extraction_based`, :func:`shared_responsibility`,
:func:`carbon_emission_added`, :func:`regional_accounts`,
:func:`reconciliation`), multipliers and linkages, and supply-chain accounts
(:class:`SupplyChain`, :func:`chain_accounts`).
"""

from carbonshare.accounting.bundled import BUNDLED_TABLES, load_table, table_provenance
from carbonshare.accounting.iotable import IOTable, read_iotable
from carbonshare.accounting.multipliers import (
    ghosh_inverse,
    input_multipliers,
    leontief_inverse,
    linkages,
    output_multipliers,
)
from carbonshare.accounting.perspectives import (
    PERSPECTIVES,
    all_perspectives,
    carbon_emission_added,
    consumption_based,
    embodied_trade,
    emission_multipliers,
    extraction_based,
    footprint_by_product,
    income_based,
    producer_consumer_flows,
    production_based,
    reconciliation,
    regional_accounts,
    shared_alpha,
    shared_responsibility,
)

__all__ = [
    "BUNDLED_TABLES",
    "PERSPECTIVES",
    "IOTable",
    "all_perspectives",
    "carbon_emission_added",
    "consumption_based",
    "embodied_trade",
    "emission_multipliers",
    "extraction_based",
    "footprint_by_product",
    "ghosh_inverse",
    "income_based",
    "input_multipliers",
    "leontief_inverse",
    "linkages",
    "load_table",
    "output_multipliers",
    "producer_consumer_flows",
    "production_based",
    "read_iotable",
    "reconciliation",
    "regional_accounts",
    "shared_alpha",
    "shared_responsibility",
    "table_provenance",
]
