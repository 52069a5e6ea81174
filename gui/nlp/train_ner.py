"""Fine-tuning the installed pipeline's entity recognizer on people's corrections.

Why it works this way:
- Only ``ner`` is updated (it has its own tok2vec in the small English pipelines), so the
  tagger and parser the stance rules read stay exactly as they were.
- Pseudo-rehearsal, spaCy's documented answer to catastrophic forgetting: the original
  recognizer's own predictions on text nobody corrected are mixed into every epoch, so it keeps
  the labels it already knew while it learns the project's.
- Labels the project's schema does not have (CARDINAL, MONEY…) were never asked of the
  annotators: where the original recognizer found one, outside any gold entity, the tokens are
  marked *missing* in the gold example ("-"), not "no entity", so the corrections teach nothing
  about them either way.
- Documents are cut into paragraphs: smaller examples make better batches and gradients.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example, offsets_to_biluo_tags
from spacy.util import filter_spans, minibatch

from gui.core.schema import Schema
from gui.nlp.train_data import TrainingDocument

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", re.S)
BATCH = 16
DROPOUT = 0.2
REHEARSAL_SHARE = 0.5  # rehearsal paragraphs per corrected paragraph


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) pairs, blank lines between them left out."""
    return [(m.start(), m.group()) for m in _PARAGRAPH.finditer(text)]


def _gold_example(
    predicted: Doc, offset: int, document: TrainingDocument, schema: Schema
) -> Example:
    end = offset + len(predicted.text)
    spans = []
    for start, stop, label in document.entities:
        if offset <= start and stop <= end:
            span = predicted.char_span(start - offset, stop - offset, label=label,
                                       alignment_mode="expand")
            if span is not None:
                spans.append(span)
    spans = filter_spans(spans)
    taken = {i for s in spans for i in range(s.start, s.end)}
    tags = offsets_to_biluo_tags(
        predicted, [(s.start_char, s.end_char, s.label_) for s in spans]
    )
    for ent in predicted.ents:  # the original recognizer's labels the schema lacks: unknown
        if schema.map_label(ent.label_) is None and not taken & set(range(ent.start, ent.end)):
            for i in range(ent.start, ent.end):
                tags[i] = "-"
    words = Doc(predicted.vocab, words=[t.text for t in predicted],
                spaces=[bool(t.whitespace_) for t in predicted])
    return Example.from_dict(words, {"entities": tags})


def _rehearsal_example(predicted: Doc) -> Example:
    words = Doc(predicted.vocab, words=[t.text for t in predicted],
                spaces=[bool(t.whitespace_) for t in predicted])
    return Example.from_dict(words, {"entities": [(e.start_char, e.end_char, e.label_)
                                                  for e in predicted.ents]})


def fine_tune_ner(
    nlp: Language,
    schema: Schema,
    documents: Sequence[TrainingDocument],
    rehearsal_texts: Sequence[str],
    *,
    iterations: int,
    seed: int,
    step: Callable[[], None],
    cancelled: Callable[[], bool],
) -> dict[str, float]:
    """Update ``nlp``'s ``ner`` in place; ``step()`` after every epoch. Returns the losses."""
    ner = nlp.get_pipe("ner")
    for label in schema.labels:
        if label not in ner.labels:
            ner.add_label(label)
    pieces = [(document, offset, text) for document in documents
              for offset, text in paragraphs(document.text)]
    rng = random.Random(seed)
    rehearsal = [text for whole in rehearsal_texts for _o, text in paragraphs(whole)]
    rng.shuffle(rehearsal)
    rehearsal = rehearsal[: max(1, int(len(pieces) * REHEARSAL_SHARE))]
    with nlp.select_pipes(enable=["ner"]):
        gold = [
            _gold_example(predicted, offset, document, schema)
            for predicted, (document, offset, _text) in zip(
                nlp.pipe([text for _d, _o, text in pieces], batch_size=64), pieces, strict=True)
        ]
        remembered = [_rehearsal_example(doc) for doc in nlp.pipe(rehearsal, batch_size=64)]
        optimizer = nlp.resume_training()
        losses: dict[str, float] = {}
        for _epoch in range(iterations):
            examples = gold + remembered
            rng.shuffle(examples)
            losses = {}
            for batch in minibatch(examples, size=BATCH):
                if cancelled():
                    return losses
                nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
            step()
    return losses
