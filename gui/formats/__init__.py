"""Importers and exporters (Qt-free)."""
