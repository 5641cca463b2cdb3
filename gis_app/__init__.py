"""KCN-GIS: a GIS for Vietnam's industrial-park management boards."""

__version__ = "0.1.0"
