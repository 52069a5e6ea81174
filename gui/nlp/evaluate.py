"""How good the pre-fill is: its suggestions against annotation sets people marked done.

Why: a team should see what correcting the model costs them, measured, not guessed. Entities
count as right when start, end and label are all equal. A stance counts as right when its
target and polarity are equal and its evidence overlaps the person's (evidence is usually a
sentence, and people trim sentences differently); holders are scored on the stances that
match. Every done set is compared with the document's current pre-fill.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from gui.core.store import Project, Stance


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class EvaluationReport:
    sets: int = 0
    documents_without_prefill: int = 0
    entity_labels: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    entities: Counts = field(default_factory=Counts)
    stance: Counts = field(default_factory=Counts)
    stance_targets: Counts = field(default_factory=Counts)  # target and evidence, any polarity
    stance_polarities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    stance_by_target: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    holders_right: int = 0
    holders_scored: int = 0

    def add(
        self,
        gold_entities: set[tuple[int, int, str]],
        predicted_entities: set[tuple[int, int, str]],
        gold: list[Stance],
        predicted: list[Stance],
    ) -> None:
        """Count one document's suggestions against one person's finished set."""
        self.sets += 1
        for label in {e[2] for e in gold_entities | predicted_entities}:
            g = {e for e in gold_entities if e[2] == label}
            p = {e for e in predicted_entities if e[2] == label}
            counts = self.entity_labels[label]
            counts.tp += len(g & p)
            counts.fp += len(p - g)
            counts.fn += len(g - p)
        self.entities.tp += len(gold_entities & predicted_entities)
        self.entities.fp += len(predicted_entities - gold_entities)
        self.entities.fn += len(gold_entities - predicted_entities)
        pairs = right_pairs(gold, predicted)
        self.stance.tp += len(pairs)
        self.stance.fp += len(predicted) - len(pairs)
        self.stance.fn += len(gold) - len(pairs)
        for field_name, groups in (("polarity", self.stance_polarities),
                                   ("target", self.stance_by_target)):
            for value in {getattr(s, field_name) for s in gold + predicted}:
                counts = groups[value]
                matched = sum(1 for g, _p in pairs if getattr(g, field_name) == value)
                counts.tp += matched
                counts.fp += sum(1 for p in predicted if getattr(p, field_name) == value) - matched
                counts.fn += sum(1 for g in gold if getattr(g, field_name) == value) - matched
        loose = target_pairs(gold, predicted)
        self.stance_targets.tp += len(loose)
        self.stance_targets.fp += len(predicted) - len(loose)
        self.stance_targets.fn += len(gold) - len(loose)
        self.holders_scored += len(pairs)
        self.holders_right += sum(1 for g, p in pairs if _holder_match(g, p))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sets": self.sets,
            "documents_without_prefill": self.documents_without_prefill,
            "entities": {"all": self.entities.as_dict(),
                         **{k: v.as_dict() for k, v in sorted(self.entity_labels.items())}},
            "stance": {"all": self.stance.as_dict(),
                       "target_only": self.stance_targets.as_dict(),
                       **{k: v.as_dict() for k, v in sorted(self.stance_polarities.items())},
                       "targets": {k: v.as_dict()
                                   for k, v in sorted(self.stance_by_target.items())},
                       "holder_accuracy": round(self.holders_right / self.holders_scored, 4)
                       if self.holders_scored else None,
                       "holders_scored": self.holders_scored},
        }

    def table(self) -> str:
        rows = [f"compared {self.sets} done annotation set{'s' * (self.sets != 1)} with the "
                "pre-fill" + (f" ({self.documents_without_prefill} without pre-fill, skipped)"
                             if self.documents_without_prefill else ""),
                f"{'':<22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]

        def line(name: str, c: Counts) -> str:
            return (f"{name:<22}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}"
                    f"{c.tp:>6}{c.fp:>6}{c.fn:>6}")

        rows += [line(f"entity {k}", v) for k, v in sorted(self.entity_labels.items())]
        rows.append(line("entities (all)", self.entities))
        rows += [line(f"stance {k}", v) for k, v in sorted(self.stance_polarities.items())]
        rows += [line(f"target {k}"[:21], v) for k, v in sorted(self.stance_by_target.items())]
        rows.append(line("stance (all)", self.stance))
        rows.append(line("stance target only", self.stance_targets))
        if self.holders_scored:
            rows.append(f"holder right on {self.holders_right} of {self.holders_scored} matched "
                        f"stances ({100 * self.holders_right / self.holders_scored:.0f}%)")
        return "\n".join(rows)


def _overlap(a: Stance, b: Stance) -> bool:
    return a.start < b.end and b.start < a.end


def _holder_match(a: Stance, b: Stance) -> bool:
    if a.holder is None or b.holder is None:
        return a.holder is None and b.holder is None
    return a.holder[0] < b.holder[1] and b.holder[0] < a.holder[1]


def right_pairs(gold: list[Stance], predicted: list[Stance]) -> list[tuple[Stance, Stance]]:
    """The suggestions that count as right: same target and polarity, overlapping evidence."""
    return _match(gold, predicted, lambda g, p: g.target == p.target
                  and g.polarity == p.polarity and _overlap(g, p))


def target_pairs(gold: list[Stance], predicted: list[Stance]) -> list[tuple[Stance, Stance]]:
    """The suggestions on the right sentence and target, whatever their polarity."""
    return _match(gold, predicted, lambda g, p: g.target == p.target and _overlap(g, p))


def _match(gold: list[Stance], predicted: list[Stance], same: Any) -> list[tuple[Stance, Stance]]:
    """Pairs gold and predicted stances one to one, greedily in text order."""
    free = list(predicted)
    pairs = []
    for g in gold:
        for p in free:
            if same(g, p):
                pairs.append((g, p))
                free.remove(p)
                break
    return pairs


def evaluate_project(project: Project) -> EvaluationReport:
    report = EvaluationReport()
    prefilled = {r[0] for r in project.conn.execute("SELECT document_id FROM prefill_runs")}
    sets = project.conn.execute(
        "SELECT id, document_id FROM annotation_sets WHERE status = 'done' ORDER BY id"
    ).fetchall()
    for set_id, doc_id in sets:
        if doc_id not in prefilled:
            report.documents_without_prefill += 1
            continue
        report.add(
            {(e.start, e.end, e.label) for e in project.entities(set_id)},
            {(e.start, e.end, e.label) for e in project.prefill_entities(doc_id)},
            list(project.stances(set_id)),
            list(project.prefill_stances(doc_id)),
        )
    return report
