"""Marginalia: turn news articles into a labeled dataset of entities and stance."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("marginalia")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

APP_NAME = "Marginalia"
APP_ID = "org.marginalia.Marginalia"
