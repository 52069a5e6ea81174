"""Agreement figures, disagreement finding and adjudication (Qt-free)."""
