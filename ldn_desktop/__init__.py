"""LDN Desktop: compounding low-dose naltrexone, recorded and labelled."""

__version__ = "0.1.0"
