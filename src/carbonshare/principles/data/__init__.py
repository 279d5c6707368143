"""Bundled data of carbonshare.principles (IPCC AR6 remaining carbon budgets)."""
