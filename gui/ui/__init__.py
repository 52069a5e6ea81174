"""The Qt layer: it adapts the core and never holds data of its own."""
