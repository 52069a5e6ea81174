"""Data the app ships: default schema, sample corpus, stance lexicon, icons.

Installed as the package ``gui.resources`` (see pyproject.toml) so that
``importlib.resources.files("gui.resources")`` finds it from a checkout and from a wheel.
"""
