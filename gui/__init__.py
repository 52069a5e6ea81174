"""Marginalia: turn news articles into a labeled dataset of entities and stance."""

APP_NAME = "Marginalia"
APP_ID = "org.marginalia.Marginalia"


def __getattr__(name: str) -> str:
    """``gui.__version__``, read from the installed metadata on first use only: importing
    importlib.metadata (it pulls in the email package) cost every start of the window ~40 ms."""
    if name != "__version__":
        raise AttributeError(f"module 'gui' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("marginalia")
    except PackageNotFoundError:  # running from a checkout that was never installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
