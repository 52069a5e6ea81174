"""Pre-fill: entity and stance suggestions (Qt-free)."""
