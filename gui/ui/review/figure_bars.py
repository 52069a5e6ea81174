"""The agreement report's JSON turned into the dashboard's bars, whiskers included.

A figure in the report is either a plain number with its reason elsewhere (the first
version's keys) or a FIG object ``{"value", "ci", "reason"}`` (stance frames, partial credit,
several annotators). Intervals of plain numbers are in ``report["intervals"]`` under the
figure's path ("stance.alpha_nominal"). Missing sections give no bars: a report from before
those figures existed still draws.
"""

from __future__ import annotations

from typing import Any

from gui.ui.review.charts import Bar

FRAME_FIGURES = (
    ("frame_f1", "frame F1 (same stance found)"),
    ("polarity_alpha_nominal", "polarity alpha, nominal"),
    ("polarity_alpha_ordinal", "polarity alpha, ordinal"),
    ("polarity_kappa", "polarity kappa"),
    ("holder_agreement", "holder agreement"),
    ("evidence_overlap", "evidence overlap"),
)
PARTIAL_FIGURES = (
    ("overlap_f1", "overlap F1 (any overlap)"),
    ("token_dice", "token Dice"),
    ("alpha_u", "unitizing alpha (αu)"),
)
MULTI_FIGURES = (
    ("fleiss_kappa", "Fleiss' kappa"),
    ("gwet_ac1", "Gwet's AC1 (nominal)"),
    ("gwet_ac2", "Gwet's AC2 (ordinal)"),
)


def interval(report: dict[str, Any], path: str) -> tuple[float, float] | None:
    found = (report.get("intervals") or {}).get(path)
    return (float(found[0]), float(found[1])) if found else None


def fig_bar(name: str, fig: dict[str, Any] | None) -> Bar:
    """A bar from a FIG object (``None``: the report lacks it)."""
    if fig is None:
        return Bar(name, None, "not in this report")
    ci = fig.get("ci")
    return Bar(name, fig.get("value"), fig.get("reason") or "",
               (float(ci[0]), float(ci[1])) if ci else None)


def section_bars(report: dict[str, Any], key: str,
                 figures: tuple[tuple[str, str], ...]) -> list[Bar]:
    section = report.get(key)
    if not isinstance(section, dict):
        return []
    return [fig_bar(label, section.get(name)) for name, label in figures]


def frame_note(report: dict[str, Any]) -> str:
    frames = report.get("stance_frames")
    if not isinstance(frames, dict):
        return ""
    return f"{frames.get('matched', 0)} frames matched, {frames.get('unmatched', 0)} unmatched"


def target_bars(report: dict[str, Any]) -> list[Bar]:
    """Alpha per target, nominal and ordinal, the whole project first."""
    stance = report["stance"]
    bars = [Bar("all targets · nominal", stance["alpha_nominal"],
                stance["reasons"].get("alpha_nominal", ""),
                interval(report, "stance.alpha_nominal")),
            Bar("all targets · ordinal", stance["alpha_ordinal"],
                stance["reasons"].get("alpha_ordinal", ""),
                interval(report, "stance.alpha_ordinal"))]
    for target, figs in stance["per_target"].items():
        bars.append(Bar(f"{target} · nominal", figs["alpha_nominal"],
                        figs["reasons"].get("alpha_nominal", f"{figs['units']} units"),
                        interval(report, f"stance.per_target.{target}.alpha_nominal")))
        if stance["alpha_ordinal"] is not None or figs["alpha_ordinal"] is not None:
            bars.append(Bar(f"{target} · ordinal", figs["alpha_ordinal"],
                            figs["reasons"].get("alpha_ordinal", ""),
                            interval(report, f"stance.per_target.{target}.alpha_ordinal")))
    return bars


def plain_bars(report: dict[str, Any], section: str, key: str,
               reason_prefix: str) -> list[Bar]:
    """Bars of a ``{name: number}`` mapping of the first version's keys."""
    reasons = report[section]["reasons"]
    return [Bar(name, value, reasons.get(f"{reason_prefix}{name}", ""),
                interval(report, f"{section}.{key}.{name}"))
            for name, value in report[section][key].items()]


def anchoring_bars(anchoring: dict[str, Any]) -> list[Bar]:
    """Each annotator against the pre-fill, and the share of their annotations kept as
    suggested."""
    bars = []
    for name, f in anchoring.get("per_annotator", {}).items():
        bars += [Bar(f"{name} · entities vs pre-fill (F1)", f["entity_exact_f1"]),
                 Bar(f"{name} · stance frames vs pre-fill (F1)", f["stance_frame_f1"]),
                 Bar(f"{name} · kept unchanged (share)", f["accepted_share"],
                     "share of their annotations that are suggestions kept as they were",
                     share=True)]
    return bars


def pair_anchoring_bars(anchoring: dict[str, Any]) -> list[Bar]:
    """Each pair's F1, and their F1 on what at least one of them changed or added."""
    bars = []
    for pair, layers in anchoring.get("per_pair", {}).items():
        for layer, f in layers.items():
            share = f["share_both_kept"]
            note = ("" if share is None
                    else f"{share:.0%} of what they agree on both kept as suggested")
            bars += [Bar(f"{pair} · {layer}", f["f1"], note),
                     Bar(f"{pair} · {layer}: on the rest", f["f1_rest"], note)]
    return bars
