"""What the annotator's gestures mean: the controller between the view, the lists and the store.

Every change goes through a gui.core.edits command pushed on the window's undo stack (one
command, one transaction). Every position crossing between the view (Qt positions) and the
store (Python code points) goes through the document's ``OffsetMap``.

What is shown is the set the store last confirmed with the edits still waiting for a server
applied over it (``PendingEdits.overlay``), those marked as not saved yet; while the server is
away the last set read stands in for the store. An edit names rows by the ids shown (a
suggestion's, or a row added while waiting); the undo adapter points it at the stored rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTableView

from gui.core import edits
from gui.core.contrast import MARK, readable
from gui.core.errors import MarginaliaError, server_gone
from gui.core.holder_choices import HolderChoice, holder_choices
from gui.core.offsets import OffsetMap
from gui.core.pending import REMOVED, unsaved_tip
from gui.core.schema import FALLBACK_COLOR
from gui.core.store import AnnotationSet, Document, Entity, Project, Stance
from gui.nlp import snap
from gui.ui.annotation_models import EntityListModel, StanceListModel
from gui.ui.article_view import ArticleView, Mark
from gui.ui.undo import UndoAdapter

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow


@dataclass
class PendingStance:
    start: int
    end: int
    target: str | None = None
    polarity: str | None = None


class AnnotationController(QObject):
    def __init__(
        self,
        window: MainWindow,
        view: ArticleView,
        entity_view: QTableView,
        stance_view: QTableView,
        undo: UndoAdapter,
    ):
        super().__init__(window)
        self.window = window
        self.view = view
        self.entity_view = entity_view
        self.stance_view = stance_view
        self.undo = undo
        self.schema = window.project.schema
        self._colors = {e.label: e.color for e in self.schema.entities}
        self.entity_model = EntityListModel(self.schema, self)
        self.stance_model = StanceListModel(self.schema, self)
        entity_view.setModel(self.entity_model)
        stance_view.setModel(self.stance_model)
        self.document: Document | None = None
        self.offsets = OffsetMap("")
        self.aset: AnnotationSet | None = None  # what is shown: with the waiting edits
        self._confirmed: AnnotationSet | None = None  # as the store last gave it
        self.status_unsaved = False  # the shown status is a waiting edit's
        self.selected: tuple[str, int] | None = None
        self._marks: dict[tuple[Entity | Stance, bool, str], Mark] = {}  # this document's
        self._syncing = False
        undo.waiting_changed.connect(lambda _edits: self.refresh())
        view.selection_made.connect(self._on_selection)
        view.clicked.connect(self._on_click)
        view.boundary_key.connect(self.adjust_boundary)
        view.edge_dragged.connect(self._on_edge_dragged)
        view.cleared.connect(lambda: self.select(None))
        entity_view.selectionModel().currentRowChanged.connect(
            lambda current, _old: self._row_chosen("entity", current)
        )
        stance_view.selectionModel().currentRowChanged.connect(
            lambda current, _old: self._row_chosen("stance", current)
        )

    @property
    def project(self) -> Project:
        return self.window.project

    @property
    def annotator(self) -> str:
        return self.window.annotator

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    # ---- showing ---------------------------------------------------------------------------

    def show_document(self, doc_id: int) -> None:
        self.document = self.project.document(doc_id)
        self.offsets = OffsetMap(self.document.text)
        self._marks = {}
        self.selected = None
        self.view.set_article(self.document.text)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the annotator's set from the store and redraw lists and highlights."""
        if self.document is None:
            return
        confirmed = self._read_set(self.document.id)
        pending = self.undo.pending
        shown = pending.overlay(confirmed)
        self.aset, self.status_unsaved = shown.aset, shown.status_unsaved
        accepted = self.aset.status == "done"
        text = self.document.text
        states = {"entity": {}, "stance": {}}
        for (kind, item_id), state in shown.unsaved.items():
            states[kind][item_id] = state
        # By place only: a stable sort keeps the store's order among items at one place, the
        # same for the pre-fill (shown with negated ids) and for the set copied from it, so
        # two stances on one sentence do not swap places at the first edit.
        entities = sorted((*self.aset.entities, *shown.removed_entities),
                          key=lambda e: (e.start, e.end))
        stances = sorted((*self.aset.stances, *shown.removed_stances),
                         key=lambda s: (s.start, s.end))
        self._syncing = True
        try:
            self.entity_model.set_items(entities, text, accepted=accepted,
                                        unsaved=states["entity"])
            self.stance_model.set_items(stances, text, accepted=accepted,
                                        unsaved=states["stance"])
        finally:
            self._syncing = False
        self.view.set_marks(
            [self._entity_mark(e, accepted, states["entity"].get(e.id, "")) for e in entities],
            [self._stance_mark(s, accepted, states["stance"].get(s.id, "")) for s in stances],
        )
        if self.selected is not None:  # a row saved meanwhile is known by its stored id
            kind, item_id = self.selected
            self.selected = (kind, pending.current_id(kind, self.annotator, item_id))
        if self.selected is not None and self._find(*self.selected) is None:
            self.selected = None
        self.select(self.selected, scroll=False)

    def _read_set(self, doc_id: int) -> AnnotationSet:
        """The set as the store has it; while the server is away, as it last had it."""
        try:
            self._confirmed = self.project.annotation_set(doc_id, self.annotator)
        except (MarginaliaError, sqlite3.Error) as exc:
            last = self._confirmed
            if (not server_gone(exc) or last is None or last.document_id != doc_id
                    or last.annotator != self.annotator):
                raise
        assert self._confirmed is not None
        return self._confirmed

    def _entity_mark(self, entity: Entity, accepted: bool, unsaved: str) -> Mark:
        """The mark for an entity, built once per document: an edit rebuilds none but its own."""
        mark = self._marks.get((entity, accepted, unsaved))
        if mark is None:
            start, end = self.offsets.span_to_qt(entity.start, entity.end)
            color = self._colors.get(entity.label, FALLBACK_COLOR)
            mark = Mark("entity", entity.id, start, end, color, entity.label,
                        entity.origin == "prefill" and not accepted,
                        unsaved=unsaved_tip(unsaved) if unsaved else "",
                        ghost=unsaved == REMOVED)
            self._marks[(entity, accepted, unsaved)] = mark
        return mark

    def _stance_mark(self, stance: Stance, accepted: bool, unsaved: str) -> Mark:
        mark = self._marks.get((stance, accepted, unsaved))
        if mark is None:
            start, end = self.offsets.span_to_qt(stance.start, stance.end)
            holder = stance.holder
            mark = Mark(
                "stance", stance.id, start, end, self.schema.polarity_color(stance.polarity),
                stance.polarity, stance.origin == "prefill" and not accepted, stance.target,
                self.offsets.span_to_qt(*holder) if holder else None,
                self.text[holder[0]:holder[1]] if holder else "",
                unsaved_tip(unsaved) if unsaved else "", unsaved == REMOVED,
            )
            self._marks[(stance, accepted, unsaved)] = mark
        return mark

    def _find(self, kind: str, item_id: int) -> Entity | Stance | None:
        if self.aset is None:
            return None
        items = self.aset.entities if kind == "entity" else self.aset.stances
        return next((item for item in items if item.id == item_id), None)

    # ---- selection, both ways ---------------------------------------------------------------

    def select(self, selected: tuple[str, int] | None, *, scroll: bool = True) -> None:
        """Make an entity or stance the current one: text cursor over it, its row current (a
        removal waiting for the server is listed, but there is nothing left to select)."""
        item = self._find(*selected) if selected else None
        self.selected = selected if item is not None else None
        self._syncing = True
        try:
            for kind, view, model in (("entity", self.entity_view, self.entity_model),
                                      ("stance", self.stance_view, self.stance_model)):
                row = model.row_of(item.id) if item is not None and selected[0] == kind else None
                if row is None:
                    view.selectionModel().clearSelection()
                    view.selectionModel().setCurrentIndex(
                        QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
                else:
                    index = model.index(row, 0)
                    view.selectionModel().setCurrentIndex(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows)
                    view.scrollTo(index)
        finally:
            self._syncing = False
        if item is None:
            self.view.span_selected = None
            return
        span = self.offsets.span_to_qt(item.start, item.end)
        self.view.span_selected = span
        if scroll or self.view.selection() != span:
            self.view.show_span(*span)

    def _row_chosen(self, kind: str, current: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        model = self.entity_model if kind == "entity" else self.stance_model
        self.select((kind, model.item(current.row()).id))

    def select_at(self, qt_position: int) -> str | None:
        """Select the entity (or else the stance) at a position, as a click does; its kind."""
        self._on_click(qt_position)
        return self.selected[0] if self.selected else None

    def _on_click(self, qt_position: int) -> None:
        position = self.offsets.to_python(qt_position)
        hit = self._entity_at(position)
        if hit is not None:
            self.select(("entity", hit.id))
            return
        stance = self._stance_at(position)
        self.select(("stance", stance.id) if stance is not None else None, scroll=False)

    def _entity_at(self, position: int) -> Entity | None:
        found = [e for e in (self.aset.entities if self.aset else ()) if
                 e.start <= position < e.end]
        return min(found, key=lambda e: e.end - e.start) if found else None

    def _stance_at(self, position: int) -> Stance | None:
        found = [s for s in (self.aset.stances if self.aset else ()) if
                 s.start <= position < s.end]
        return min(found, key=lambda s: s.end - s.start) if found else None

    def _on_selection(self, qt_start: int, qt_end: int, at: QPoint) -> None:
        """A drag or double-click: snap to tokens and offer the labels."""
        if self.document is None:
            return
        start, end = self.offsets.span_to_python(qt_start, qt_end)
        same = [e for e in self.aset.entities if (e.start, e.end) == (start, end)] \
            if self.aset else []
        if same:
            self.select(("entity", same[0].id), scroll=False)
            return
        snapped = snap.snap(self.text, start, end)
        if snapped is None:
            return
        self.selected = None
        self.view.span_selected = None
        self.select(None, scroll=False)
        self.view.show_span(*self.offsets.span_to_qt(*snapped))
        self.label_popup(at)

    def new_span(self) -> tuple[int, int] | None:
        """The text selection that is not the current annotation, snapped to tokens."""
        selection = self.view.selection()
        if selection is None or selection == self.view.span_selected:
            return None
        return snap.snap(self.text, *self.offsets.span_to_python(*selection))

    def _menu(self, *args: Any) -> None:
        """A key popup (gui.ui.popups, imported on the first one: not needed to start)."""
        from gui.ui.popups import open_menu

        open_menu(self.view, *args)

    def popup_point(self) -> QPoint:
        rect = self.view.cursorRect(self.view.textCursor())
        return self.view.viewport().mapToGlobal(rect.bottomRight() + QPoint(4, 6))

    # ---- entities -------------------------------------------------------------------------

    def label_popup(self, at: QPoint | None = None) -> None:
        entries = [(e.key, e.label, e.label, e.color) for e in self.schema.entities]
        self._menu("Label", entries, at or self.popup_point(), self.apply_label)

    def apply_label(self, label: str) -> None:
        """A label key: label the new selection, or relabel (and confirm) the current entity."""
        if self.document is None:
            return
        span = self.new_span()
        if span is not None:
            # The exact span of an entity (a drag or double-click snapped onto it) names that
            # entity: it is relabelled, where it used to get a twin with the same span. Only a
            # different span adds one (overlaps are allowed).
            existing = sorted((e for e in self.aset.entities if (e.start, e.end) == span),
                              key=lambda e: e.label != label)
            if existing:
                self.select(("entity", existing[0].id))
                self._relabel(existing[0].id, label)
                return
            edit = edits.AddEntity(self.document.id, self.annotator, *span, label)
            self._push_and_select("entity", edit)
            return
        if self.selected and self.selected[0] == "entity":
            self._relabel(self.selected[1], label)
            return
        self.window.hint("Select some words first (drag or double-click), then press a label key")

    def _relabel(self, entity_id: int, label: str) -> None:
        """Give the selected entity ``label``: on a suggestion the same key confirms it; on
        an entity of the annotator's own that already has it, nothing happens. (A confirmed
        entity double-clicked and given its own label recorded an empty "Relabel" undo step,
        a transaction and a history row that changed nothing.)"""
        entity = next((e for e in (self.aset.entities if self.aset else ()) if e.id == entity_id),
                      None)
        if entity is not None and entity.label == label and entity.origin != "prefill":
            self.window.hint(f"Already {label}: nothing to change")
            return
        self._change_entity({"label": label})

    def _change_entity(self, changes: dict[str, Any]) -> None:
        assert self.selected is not None and self.document is not None
        self.undo.push(edits.ChangeEntity(self.document.id, self.annotator, self.selected[1],
                                          changes))

    def delete_selected(self) -> None:
        if self.selected is None or self.document is None:
            self.window.hint("Click an entity or a stance first, then press Delete")
            return
        kind, item_id = self.selected
        edit = (edits.RemoveEntity if kind == "entity" else edits.RemoveStance)(
            self.document.id, self.annotator, item_id)
        self.selected = None
        self.undo.push(edit)

    def adjust_boundary(self, edge: str, step: int) -> None:
        """Shift+arrows: move the current annotation's end (or, with Ctrl, start) by a token."""
        if self.selected is None or self.document is None:
            return
        item = self._find(*self.selected)
        if item is None:
            return
        text = self.text
        start, end = item.start, item.end
        if edge == "end":
            new = snap.next_token_end(text, end) if step > 0 else \
                snap.previous_token_end(text, end)
            if new is None or new <= start:
                return
            end = new
        else:
            new = snap.previous_token_start(text, start) if step < 0 else \
                snap.next_token_start(text, start)
            if new is None or new >= end:
                return
            start = new
        if "\n" in text[start:end] and "\n" not in text[item.start:item.end]:
            # A token further on is in the next paragraph: "Daily Impact European" grew into
            # the "We" under it, an entity across a paragraph break.
            self.window.hint("An annotation stops at a line break: Shift+arrows will not "
                             "carry it into the next paragraph")
            return
        self._move(start, end)

    def _on_edge_dragged(self, edge: str, qt_position: int) -> None:
        if self.selected is None:
            return
        item = self._find(*self.selected)
        if item is None:
            return
        if edge == "start":
            position = self.offsets.to_python(qt_position)
            snapped = snap.snap(self.text, position, item.end)
            start, end = (snapped[0], item.end) if snapped else (item.start, item.end)
        else:
            position = self.offsets.to_python(qt_position, round_up=True)
            snapped = snap.snap(self.text, item.start, position)
            start, end = (item.start, snapped[1]) if snapped else (item.start, item.end)
        if (start, end) != (item.start, item.end) and start < end:
            self._move(start, end)
        else:
            self.select(self.selected)

    def _move(self, start: int, end: int) -> None:
        assert self.selected is not None and self.document is not None
        kind, item_id = self.selected
        cls = edits.ChangeEntity if kind == "entity" else edits.ChangeStance
        self.undo.push(cls(self.document.id, self.annotator, item_id,
                           {"start": start, "end": end}))

    # ---- stances --------------------------------------------------------------------------

    def start_stance(self, target: str | None = None) -> None:
        """The stance key (or a target key with no stance selected): evidence, then choices.

        The evidence is the selected text, or the sentence holding the cursor.
        """
        span = self._new_evidence("S")
        if span is not None:
            self._continue_stance(PendingStance(*span, target=target))

    def repeat_stance(self) -> None:
        """The same-again key: the sentence at the cursor (or the selected text) takes the
        target, polarity and holder of the nearest stance before it. A quotation or an
        argument goes on over several sentences, and each holds the stance again: a quarter
        of the development sets' gold stances repeat the one before them exactly, and
        nearly half its target and polarity (then a polarity key or H mends the rest;
        ``python -m benchmarks.annotation_keys``)."""
        span = self._new_evidence(".")
        if span is None:
            return
        before = [s for s in (self.aset.stances if self.aset else ()) if s.start < span[0]]
        if not before:
            self.window.hint("No stance before this sentence to repeat: press S to make one")
            return
        source = max(before, key=lambda s: (s.start, s.end))
        self._add_stance(PendingStance(*span, target=source.target, polarity=source.polarity),
                         source.holder)

    def step_sentence(self, step: int) -> None:
        """J / K: the next (previous) sentence, as the keyboard's click. It is selected, or
        the stance whose evidence it is, so S, the same-again key, a polarity key or H act on
        it; the first press selects the sentence at the cursor."""
        if self.document is None:
            return
        cursor = self.view.textCursor()
        if not cursor.hasSelection():
            span = snap.sentence_at(self.text, self.offsets.to_python(cursor.position()))
        elif step > 0:
            span = snap.sentence_after(self.text, self.offsets.to_python(cursor.selectionEnd()))
        else:
            span = snap.sentence_before(self.text,
                                        self.offsets.to_python(cursor.selectionStart()))
        if span is None:
            self.window.hint("No sentence after this one" if step > 0
                             else "No sentence before this one")
            return
        held = [s for s in (self.aset.stances if self.aset else ()) if (s.start, s.end) == span]
        if held:
            self.select(("stance", held[0].id))
            return
        self.select(None, scroll=False)
        self.view.show_span(*self.offsets.span_to_qt(*span))

    def _new_evidence(self, key: str) -> tuple[int, int] | None:
        """A new stance's evidence: the selected text, or the sentence holding the cursor
        (shown selected), or None with a hint saying what ``key`` needs."""
        if self.document is None:
            return None
        span = self.new_span()
        if span is None:
            selection = self.view.selection()
            if selection is not None and selection == self.view.span_selected and \
                    self.selected and self.selected[0] == "stance":
                span = self.offsets.span_to_python(*selection)
            else:
                cursor = self.view.textCursor()
                position = self.offsets.to_python(cursor.selectionStart())
                span = snap.sentence_at(self.text, position)
        if span is None:
            self.window.hint(f"Click in a sentence or select the evidence, then press {key}")
            return None
        self.selected = None
        self.view.span_selected = None
        self.view.show_span(*self.offsets.span_to_qt(*span))
        return span

    def _continue_stance(self, pending: PendingStance) -> None:
        at = self.popup_point()
        if pending.target is None:
            entries = [(t.key, t.name, t.name, None) for t in self.schema.targets]

            def chose_target(name: str) -> None:
                pending.target = name
                self._continue_stance(pending)

            self._menu("Stance target", entries, at, chose_target)
            return
        if pending.polarity is None:
            menu = self.view.palette().color(QPalette.ColorRole.Window).name()
            entries = [(self.schema.polarity_keys.get(p, ""), p, p,
                        readable(self.schema.polarity_color(p), menu, MARK))
                       for p in self.schema.polarities]

            def chose_polarity(polarity: str) -> None:
                pending.polarity = polarity
                self._continue_stance(pending)

            self._menu(f"Polarity towards {pending.target}", entries, at, chose_polarity)
            return
        candidates = self._holder_candidates(pending.start, pending.end)
        if not candidates:
            self._add_stance(pending, None)
            return
        self._holder_menu(candidates, at, lambda holder: self._add_stance(pending, holder))

    def _holder_candidates(self, start: int, end: int) -> list[HolderChoice]:
        """The entities whose label can hold a stance (the schema's ``holder``: a date or a
        law is no one's stance), the evidence's own first, then the article's other names,
        likeliest first (gui/core/holder_choices.py: "he said" holds the stance of someone
        named before)."""
        return holder_choices(self.aset.entities if self.aset else (), start, end, self.text,
                              self.schema.can_hold, self.schema.first_holder_label())

    def _holder_menu(self, candidates: list[HolderChoice], at: QPoint, chosen: Any,
                     stance: Stance | None = None) -> None:
        """Keys 0-9 for no holder and the nine likeliest; typing finds the rest. For a
        ``stance`` whose holder is being changed, the entry it has now is ticked: its
        holder's name ("✓ Lavrov", any mention of it), or "No holder"."""
        held = stance.holder if stance is not None else None
        name_held = self.text[held[0]:held[1]].casefold() if held else None
        none = "✓ No holder" if stance is not None and held is None else "No holder"
        entries: list[tuple[str, str, Any, str | None]] = [("0", none, None, None)]
        for i, choice in enumerate(candidates, start=1):
            entity = choice.entity
            name = self.text[entity.start:entity.end]
            where = "" if choice.inside else " · earlier" if choice.earlier else " · later"
            tick = "✓ " if name.casefold() == name_held else ""
            entries.append((str(i) if i <= 9 else "", f"{tick}{name}  ({entity.label}){where}",
                            (entity.start, entity.end), self.schema.label(entity.label).color
                            if entity.label in self.schema.labels else None))
        self._menu("Who holds this stance?", entries[:10], at, chosen, entries[10:])

    def _add_stance(self, pending: PendingStance, holder: tuple[int, int] | None) -> None:
        """Store the stance; the same evidence and target again updates (and confirms) it."""
        assert self.document is not None and pending.target and pending.polarity
        same = [s for s in (self.aset.stances if self.aset else ())
                if (s.start, s.end, s.target) == (pending.start, pending.end, pending.target)]
        if same:
            self.selected = ("stance", same[0].id)
            self._change_stance({"polarity": pending.polarity, "holder": holder})
            return
        edit = edits.AddStance(self.document.id, self.annotator, pending.start, pending.end,
                               pending.target, pending.polarity, holder)
        self._push_and_select("stance", edit)

    def _push_and_select(self, kind: str, edit: edits.AddEntity | edits.AddStance) -> None:
        """Add a row and make it the current one, saved or waiting for the server."""
        if self.undo.push(edit) or self.undo.is_waiting(edit):
            item_id = self.undo.pending.shown_id(edit)
            if item_id is not None:
                self.select((kind, item_id))

    def apply_target(self, target: str) -> None:
        if self.selected and self.selected[0] == "stance" and self.new_span() is None:
            self._change_stance({"target": target})
        else:
            self.start_stance(target)

    def apply_polarity(self, polarity: str) -> None:
        if self.selected and self.selected[0] == "stance":
            self._change_stance({"polarity": polarity})
        else:
            self.window.hint("Select a stance first (click its evidence or its row)")

    def choose_holder(self) -> None:
        if not (self.selected and self.selected[0] == "stance"):
            self.window.hint("Select a stance first, then press H to pick its holder")
            return
        stance = self._find(*self.selected)
        if stance is None:
            return
        candidates = self._holder_candidates(stance.start, stance.end)
        if not candidates:
            holders = ", ".join(e.label for e in self.schema.entities if e.holder)
            self.window.hint(f"No entity in this document can hold a stance ({holders})")
            return
        self._holder_menu(candidates, self.popup_point(),
                          lambda holder: self._change_stance({"holder": holder}), stance)

    def _change_stance(self, changes: dict[str, Any]) -> None:
        assert self.selected is not None and self.document is not None
        self.undo.push(edits.ChangeStance(self.document.id, self.annotator, self.selected[1],
                                          changes))
