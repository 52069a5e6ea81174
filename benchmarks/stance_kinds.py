"""Where the gold stances sit, by what their sentence names, and how many of each the pre-fill
finds (issue 11, docs/training.md "What a stance's sentence names").

Why: the rules and the classifier read a sentence, its neighbour and the targets named around
it. A stance whose sentence names neither its target nor one of the target's sides is carried
by the argument of the article ("Not one cent for the dictatorship."), and the share of such
stances bounds what reading sentences can find. Each gold stance is put in the first kind its
sentences (those its evidence overlaps) fit, as the rules' own reading of the Doc sees them:

* ``cue``: its target named by a cue word ("the embargo");
* ``relation``: a relation word between its sides ("bilateral ties");
* ``side``: one of its target's sides named (Moscow, Havana) but no word for the target;
* ``other target``: only another target named;
* ``nothing``: no target and none of its sides.

Development sets only (starter.SETS; a held-out set is refused): a starter is built from the
other development sets, as ``starter_build.fold`` does, and the test sets' articles are
pre-filled with it (or with the rules alone, ``--rules``) and scored as ``prefill
--evaluate`` scores them::

    python -m benchmarks.stance_kinds --test 13,16,21 [--rules]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Span

from gui.core.store import Stance
from gui.nlp.evaluate import right_pairs, target_pairs
from gui.nlp.prefill import Prefiller
from gui.nlp.stance import Reading
from gui.nlp.starter import SETS, SETTING
from gui.nlp.starter_build import articles, imported_project, train_on, write
from gui.nlp.train import as_stance
from gui.nlp.train_data import load_documents

KINDS = ("cue", "relation", "side", "other target", "nothing")
CHECKOUT = Path(__file__).resolve().parent.parent


def kind(stance: Stance, sentences: Sequence[Span], reading: Reading) -> str:
    """The first of ``KINDS`` the sentences under ``stance``'s evidence fit."""
    under = [s for s in sentences if s.start_char < stance.end and stance.start < s.end_char]
    inside = [m for m in reading.mentions if any(s.start <= m.span.start < s.end for s in under)]
    own = [m for m in inside if m.target == stance.target]
    if any(not m.generic for m in own):
        return "cue"
    if own:
        return "relation"
    sides = {name for s in under for i in range(s.start, s.end)
             for name, _side in reading.sides.get(i, ())}
    if stance.target in sides:
        return "side"
    return "other target" if inside else "nothing"


def measure(test_sets: Sequence[str], rules_only: bool) -> dict[str, Counter[str]]:
    """Per kind: gold stances, those found right, those on the right sentence and target, and
    wrong suggestions (by the kind their own sentence is, for their own target)."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("gold", "right", "target", "wrong")}
    with tempfile.TemporaryDirectory(prefix="stance-kinds-") as tmp:
        where = Path(tmp)
        if not rules_only:
            train = [s for s in SETS if s not in test_sets]
            stance, base, documents, _none = train_on(articles(CHECKOUT, train), where)
            write(stance, base, where / "starter", {"sets": train}, documents)
        with imported_project(where, "test", articles(CHECKOUT, test_sets)) as project:
            documents = load_documents(project, "done")
            if not rules_only:
                project.set_setting(SETTING, str(where / "starter"))
            prefiller = Prefiller(project, starter=not rules_only)
            by_id = {d.doc_id: d for d in documents}
            for result in prefiller.run(iter((d.doc_id, d.text) for d in documents)):
                document = by_id[result.doc_id]
                doc = prefiller.loaded.nlp(document.text)
                reading = prefiller.stance.read(doc, document.text)
                sentences = list(doc.sents)
                gold = list(document.stances)
                predicted = [as_stance(s) for s in result.stances]
                right = right_pairs(gold, predicted)
                found = {id(g) for g, _p in right}
                targeted = {id(g) for g, _p in target_pairs(gold, predicted)}
                used = {id(p) for _g, p in right}
                for g in gold:
                    k = kind(g, sentences, reading)
                    counts["gold"][k] += 1
                    counts["right"][k] += id(g) in found
                    counts["target"][k] += id(g) in targeted
                for p in predicted:
                    if id(p) not in used:
                        counts["wrong"][kind(p, sentences, reading)] += 1
    return counts


def table(counts: dict[str, Counter[str]]) -> str:
    gold_total = sum(counts["gold"].values())
    rows = ["| the sentence names | gold stances | share | found | recall | right target, "
            "any polarity | wrong suggestions there |", "|---|---:|---:|---:|---:|---:|---:|"]
    for k in (*KINDS, "all"):
        pick = (lambda c: sum(c.values())) if k == "all" else (lambda c, k=k: c[k])
        gold, right = pick(counts["gold"]), pick(counts["right"])
        rows.append(f"| {k} | {gold} | {gold / gold_total:.2f} | {right} | "
                    f"{right / gold if gold else 0:.2f} | {pick(counts['target'])} | "
                    f"{pick(counts['wrong'])} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stance_kinds")
    parser.add_argument("--test", required=True,
                        help="development set numbers, comma-separated (e.g. 13,16,21)")
    parser.add_argument("--rules", action="store_true", help="the rules alone, no starter")
    args = parser.parse_args(argv)
    test_sets = [f"tests/data/stance_eval{n.strip()}" for n in args.test.split(",")]
    held_out = [s for s in test_sets if s not in SETS]
    if held_out:
        print(f"stance_kinds: {', '.join(held_out)} is not a development set (starter.SETS); "
              "held-out sets are measured only with `prefill --evaluate`", file=sys.stderr)
        return 2
    print(table(measure(test_sets, args.rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
