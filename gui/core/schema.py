"""The label schema: entity labels, stance targets and polarities, loaded from TOML.

A project stores its schema (see store.py), so a project file is self-contained; the TOML
file only matters at ``init`` time.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from gui.core.errors import SchemaError

# displaCy's palette, so labels look the way spaCy users expect.
DISPLACY_COLORS: dict[str, str] = {
    "ORG": "#7aecec",
    "PRODUCT": "#bfeeb7",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PERSON": "#aa9cfc",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "EVENT": "#ffeb80",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "WORK_OF_ART": "#f0d0ff",
    "DATE": "#bfe1d9",
    "TIME": "#bfe1d9",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
    "PERCENT": "#e4e7d2",
}
FALLBACK_COLOR = "#dddddd"
# Red against, grey neutral, green favor: the colours used where the schema names none.
POLARITY_COLORS: dict[str, str] = {"against": "#d62728", "neutral": "#8c8c8c", "favor": "#2ca02c"}
# OntoNotes labels that name no one who could take a stance (dates, amounts, laws, events,
# places, things): a label's ``holder`` defaults to false for these and true for any other,
# so a schema written before ``holder`` existed keeps offering its own labels as holders.
NOT_HOLDERS = frozenset({
    "DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT", "LAW", "EVENT",
    "LANGUAGE", "WORK_OF_ART", "PRODUCT", "LOC", "FAC",
})
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^\S(.*\S)?$")


@dataclass(frozen=True)
class EntityLabel:
    label: str
    key: str = ""
    color: str = FALLBACK_COLOR
    description: str = ""
    # Whether an entity with this label can hold a stance (a person, an organisation, a
    # government, a group): the holder popup offers only these, and so does the pre-fill.
    holder: bool = True


def default_holder(label: str) -> bool:
    """A label's ``holder`` when its schema does not say (see NOT_HOLDERS)."""
    return label not in NOT_HOLDERS


@dataclass(frozen=True)
class StanceTarget:
    name: str
    key: str = ""
    cues: tuple[str, ...] = ()
    # Entity texts that stand for the target ("Washington" for US policy), used by pre-fill.
    entities: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Schema:
    name: str
    entities: tuple[EntityLabel, ...]
    polarities: tuple[str, ...] = ("against", "neutral", "favor")
    scale: str = "nominal"
    targets: tuple[StanceTarget, ...] = ()
    polarity_colors: dict[str, str] = field(default_factory=dict)
    polarity_keys: dict[str, str] = field(default_factory=dict)
    # Pipeline label -> project label; a pipeline label absent here maps to itself when the
    # schema has it and is dropped otherwise.
    label_map: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [e.label for e in self.entities]

    @property
    def target_names(self) -> list[str]:
        return [t.name for t in self.targets]

    def label(self, name: str) -> EntityLabel:
        for entity in self.entities:
            if entity.label == name:
                return entity
        raise SchemaError(f"label {name!r} is not in the schema")

    def target(self, name: str) -> StanceTarget:
        for target in self.targets:
            if target.name == name:
                return target
        raise SchemaError(f"stance target {name!r} is not in the schema")

    def can_hold(self, label: str) -> bool:
        """Whether an entity labelled ``label`` may be a stance's holder; a label the schema
        lacks (an imported annotation's) is judged by its name alone."""
        for entity in self.entities:
            if entity.label == label:
                return entity.holder
        return default_holder(label)

    def first_holder_label(self) -> str | None:
        """The first label in the schema's order that can hold a stance (PERSON in the shipped
        one): the holder popup offers its entities first (gui/core/holder_choices.py)."""
        return next((e.label for e in self.entities if e.holder), None)

    def polarity_color(self, polarity: str) -> str:
        return self.polarity_colors.get(polarity) or POLARITY_COLORS.get(polarity, "#8c8c8c")

    def map_label(self, pipeline_label: str) -> str | None:
        mapped = self.label_map.get(pipeline_label, pipeline_label)
        return mapped if mapped in self.labels else None

    def to_json(self) -> str:
        # default=str: TOML has dates and times, which JSON lacks; unknown keys may hold them.
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        return cls(
            name=data["name"],
            # a project stored before ``holder`` existed: the default by the label's name
            entities=tuple(EntityLabel(**{"holder": default_holder(e["label"]), **e})
                           for e in data["entities"]),
            polarities=tuple(data["polarities"]),
            scale=data["scale"],
            targets=tuple(
                StanceTarget(
                    name=t["name"],
                    key=t["key"],
                    cues=tuple(t["cues"]),
                    entities=tuple(t.get("entities", ())),
                    description=t.get("description", ""),
                )
                for t in data["targets"]
            ),
            polarity_colors=data.get("polarity_colors", {}),
            polarity_keys=data.get("polarity_keys", {}),
            label_map=data.get("label_map", {}),
            extra=data.get("extra", {}),
        )


def default_schema_path() -> Path:
    return Path(str(files("gui.resources").joinpath("schemas/russia_cuba.toml")))


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a schema TOML file; every problem names the file and the reason."""
    import tomllib  # only here: a project's schema is JSON, so opening one never needs TOML

    path = Path(path) if path is not None else default_schema_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SchemaError("no such file", path=path) from None
    except UnicodeDecodeError:
        raise SchemaError("is not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"is not valid TOML ({exc})", path=path) from None
    try:
        return parse_schema(raw)
    except SchemaError as exc:
        raise SchemaError(exc.reason, path=path) from None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise SchemaError(f"{what} must be a non-empty string without surrounding spaces")
    return value


def _key(value: Any, what: str, taken: dict[str, str]) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) != 1 or value.isspace():
        raise SchemaError(f"{what}: key must be a single character, got {value!r}")
    if value.lower() in taken:
        raise SchemaError(f"{what}: key {value!r} is already used by {taken[value.lower()]}")
    taken[value.lower()] = what
    return value


def _color(value: Any, what: str, default: str) -> str:
    if value in (None, ""):
        return default
    if not isinstance(value, str) or not _COLOR.match(value):
        raise SchemaError(f"{what}: color must look like #rrggbb, got {value!r}")
    return value.lower()


def _holder(value: Any, label: str) -> bool:
    if value is None:
        return default_holder(label)
    if not isinstance(value, bool):
        raise SchemaError(f"label {label}: holder must be true or false, got {value!r}")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SchemaError(f"{what} must be a list of strings")
    return tuple(_text(v, what) for v in value)


def parse_schema(raw: dict[str, Any]) -> Schema:
    """Check a schema's parsed TOML; keys in labels and in targets must be unique among each."""
    name = _text(raw.get("name", "Untitled schema"), "name")
    entity_rows = raw.get("entity", [])
    if not isinstance(entity_rows, list) or not entity_rows:
        raise SchemaError("the schema needs at least one [[entity]] with a label")
    label_keys: dict[str, str] = {}
    entities: list[EntityLabel] = []
    for row in entity_rows:
        if not isinstance(row, dict):
            raise SchemaError("each [[entity]] must be a table")
        label = _text(row.get("label"), "entity label")
        if any(e.label == label for e in entities):
            raise SchemaError(f"entity label {label!r} appears twice")
        entities.append(
            EntityLabel(
                label=label,
                key=_key(row.get("key"), f"label {label}", label_keys),
                color=_color(
                    row.get("color"), f"label {label}", DISPLACY_COLORS.get(label, FALLBACK_COLOR)
                ),
                description=str(row.get("description", "")),
                holder=_holder(row.get("holder"), label),
            )
        )
    stance = raw.get("stance", {})
    if not isinstance(stance, dict):
        raise SchemaError("[stance] must be a table")
    polarities = _strings(stance.get("polarities", ["against", "neutral", "favor"]), "polarities")
    if len(polarities) < 2 or len(set(polarities)) != len(polarities):
        raise SchemaError("stance polarities must be at least two distinct names")
    scale = stance.get("scale", "nominal")
    if scale not in ("nominal", "ordinal"):
        raise SchemaError(f"stance scale must be 'nominal' or 'ordinal', got {scale!r}")
    target_keys: dict[str, str] = {}
    targets: list[StanceTarget] = []
    for row in stance.get("target", []):
        if not isinstance(row, dict):
            raise SchemaError("each [[stance.target]] must be a table")
        tname = _text(row.get("name"), "stance target name")
        if any(t.name == tname for t in targets):
            raise SchemaError(f"stance target {tname!r} appears twice")
        targets.append(
            StanceTarget(
                name=tname,
                key=_key(row.get("key"), f"target {tname}", target_keys),
                cues=_strings(row.get("cues"), f"target {tname} cues"),
                entities=_strings(row.get("entities"), f"target {tname} entities"),
                description=str(row.get("description", "")),
            )
        )
    colors = stance.get("colors", {})
    keys = stance.get("keys", {})
    if not isinstance(colors, dict) or not isinstance(keys, dict):
        raise SchemaError("[stance.colors] and [stance.keys] must be tables")
    polarity_keys: dict[str, str] = {}
    taken: dict[str, str] = {}
    for polarity in polarities:
        polarity_keys[polarity] = _key(keys.get(polarity), f"polarity {polarity}", taken)
    unknown = (set(colors) | set(keys)) - set(polarities)
    if unknown:
        raise SchemaError(f"stance colors or keys name unknown polarities: {sorted(unknown)}")
    label_map = raw.get("label_map", {})
    if not isinstance(label_map, dict) or not all(isinstance(v, str) for v in label_map.values()):
        raise SchemaError("[label_map] must map pipeline labels to schema labels")
    labels = {e.label for e in entities}
    bad = sorted(v for v in label_map.values() if v not in labels)
    if bad:
        raise SchemaError(f"[label_map] maps to labels not in the schema: {bad}")
    known = {"name", "entity", "stance", "label_map"}
    return Schema(
        name=name,
        entities=tuple(entities),
        polarities=polarities,
        scale=scale,
        targets=tuple(targets),
        polarity_colors={p: _color(colors.get(p), f"polarity {p}", "") for p in colors},
        polarity_keys={p: k for p, k in polarity_keys.items() if k},
        label_map=dict(label_map),
        extra={k: v for k, v in raw.items() if k not in known},
    )
