"""Bundled real input-output tables (byte-identical copies; see ``provenance.csv``)."""
