"""carbonshare: fair allocation of carbon.

Emission rights among countries (alliance games, allocation principles),
responsibility along supply chains (input-output accounts) and the gains of
international cooperation, on bundled real data.

Importing the package is cheap: sub-packages are imported on first use,
e.g. ``import carbonshare.games`` or ``from carbonshare.data import load_panel``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
