"""The starter stance classifier: what a new project's pre-fill adds to the rules.

Why: the rules alone find about one stance in four on articles nobody tuned them on; a
classifier trained on the development sets (tests/data/stance_eval*, hand-written and
hand-annotated for Marginalia) finds more at about the same precision. A project would get
that only after dozens of corrected articles and ``marginalia train``; shipped in the package
(``resources/stance/starter``), it is there from the first pre-fill.

What it is: the stance part of a trained version (stance_model.py), built by
``make starter`` (starter_build.py) the way ``train_project`` builds one (``train_stance``):
``stance/`` as spaCy writes it, ``holder.json`` and ``training.json``, which StanceModel.load
reads as it reads a version's, plus the manifest: the sets with each file's sha256, the rules'
version and the base pipeline it was trained against, and its figures. And ``ner/``, the
installed pipeline's entity recognizer fine-tuned on the same sets (train_ner.py), loaded into
that pipeline's own ``ner`` where the starter is used (``use_recognizer``): a quarter of the
holders the starter got wrong were names the installed recognizer missed or mislabelled.
Everything is loaded with spaCy's own loaders; nothing is unpickled.

When it is used (``starter_folder``): when no trained version is in use, the project's
setting ``stance_starter`` does not turn it off (``false``; a folder instead names another
build of it, as the benchmarks' folds do), and it was trained for the schema's targets and
polarities on the pipeline pre-fill runs (``fits``). A trained version replaces it.

"Most to gain first" before any training: pre-fill records its doubt about each untouched
document under this build's key (``scores_key``, prefill.py), and the list reads them while no
trained version is in use (``gain_key``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gui.core.store import Project

if TYPE_CHECKING:  # the window asks ``expected`` without loading spaCy
    from spacy.language import Language

    from gui.nlp.pipeline import LoadedPipeline

SETTING = "stance_starter"
INFO = "training.json"
# The development examples shipped beside it (starter_data.py): read by a project's training,
# never by pre-fill, so they are no part of the fingerprint.
DATA = "development.jsonl"
# The fine-tuned entity recognizer: the ``ner`` component's files as spaCy writes them, less
# the vocabulary (the installed pipeline's, 1.2 MB, which its labels' names are in already).
RECOGNIZER = "ner"
# The development sets it is trained on, relative to the checkout: never a held-out set.
# The benchmarks' leave-one-set-out folds (bench_train --real-folds) default to the same list.
SETS = tuple(f"tests/data/stance_eval{n}" for n in (
    "", "2", "3", "7", "8", "9", "11", "12", "13", "15", "16", "18", "19", "20", "21"))
_OFF = {"false", "off", "no", "0"}


def shipped_folder() -> Path:
    return Path(str(files("gui.resources").joinpath("stance", "starter")))


def is_off(project: Project) -> bool:
    """Whether the project's setting turns the starter off."""
    value = project.setting(SETTING)
    return value is False or (isinstance(value, str) and value.strip().lower() in _OFF)


def starter_folder(project: Project) -> Path | None:
    """The starter this project's pre-fill may use (``fits`` decides whether it does): the
    shipped one, another build named by the setting (relative to the project file), or None
    when the setting turns it off or the folder holds no starter."""
    if is_off(project):
        return None
    value = project.setting(SETTING)
    folder = shipped_folder()
    if isinstance(value, str) and value.strip().lower() not in {"true", "on", "yes", "1", ""}:
        folder = Path(value).expanduser()
        if not folder.is_absolute() and isinstance(project.path, Path):
            folder = project.path.parent / folder
    return folder if (folder / INFO).is_file() else None


def read_info(folder: Path) -> dict[str, Any]:
    return json.loads((folder / INFO).read_text(encoding="utf-8"))


def expected(project: Project) -> bool:
    """Whether pre-fill without a trained version asks the starter, as far as can be told
    without loading spaCy (the pipeline's name is checked when pre-fill loads it): for what
    the window and the commands say the current pre-fill is."""
    folder = starter_folder(project)
    if folder is None or project.setting("pipeline") == "rules-only":  # pipeline.RULES_ONLY
        return False
    info, schema = read_info(folder), project.schema
    return (list(info.get("targets", ())) == schema.target_names
            and list(info.get("polarities", ())) == list(schema.polarities))


def untrained(project: Project, rules: str = "the installed pipeline and the stance rules",
              starter: str = " with the starter classifier and recognizer") -> str:
    """What pre-fill uses when no trained version is: ``rules``, and ``starter`` after it
    where the starter is asked (``expected``)."""
    return rules + (starter if expected(project) else "")


def base_name(loaded: LoadedPipeline) -> str:
    """The pipeline's own name (``en_core_web_sm`` for the registry's re-upload of it too):
    what the starter's words were read with."""
    meta = loaded.nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '')}"


def fits(info: dict[str, Any], targets: list[str], polarities: list[str],
         loaded: LoadedPipeline) -> bool:
    """Trained for exactly these targets and polarities, on this pipeline: its classes are
    the schema's, and its words (entity labels, the parse) are the ones it learned from. A
    pipeline of rules alone has no parse and no recognizer to give them."""
    return (not loaded.rules_only and list(info.get("targets", ())) == targets
            and list(info.get("polarities", ())) == polarities
            and info.get("base") == base_name(loaded))


def use_recognizer(nlp: Language, folder: Path) -> bool:
    """Load the starter's recognizer into ``nlp``'s own ``ner`` (the weights only: the
    component, its place and its settings stay the installed pipeline's, which ``fits``
    checked); False where the build has none or the pipeline has no recognizer."""
    path = folder / RECOGNIZER
    if not path.is_dir() or "ner" not in nlp.pipe_names:
        return False
    nlp.get_pipe("ner").from_disk(path, exclude=["vocab"])  # the pipeline's own vocab stays
    return True


def fingerprint(folder: Path) -> str:
    """A short hash of the starter's files, for the version a run records: suggestions made
    with another build never carry this one's name. Hashed again only when a file's size or
    time changes: the document list asks for it (``gain_key``) whenever it is read again.
    The development examples (DATA) are left out: pre-fill never reads them."""
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != DATA)
    return _hashed(folder, tuple((p, p.stat().st_size, p.stat().st_mtime_ns) for p in paths))


@functools.lru_cache(maxsize=8)
def _hashed(folder: Path, files: tuple[tuple[Path, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for path, _size, _time in files:
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def scores_key(fingerprint: str) -> str:
    """What the "most to gain first" scores of the starter build with this fingerprint are
    stored under (``document_scores.model``): never a trained version's key, which is its
    ``trained_model`` setting as stored, JSON text in quotes."""
    return f"starter.{fingerprint}"


def gain_key(project: Project) -> str | None:
    """The key of the scores "most to gain first" orders by where no trained version is in
    use (``Project.list_documents``): this build's of the starter where pre-fill asks it
    (``expected``); None where it does not (``stance_starter = false``), so the scores an
    earlier run recorded are not read. Another build has another key: its scores start anew."""
    folder = starter_folder(project)
    return scores_key(fingerprint(folder)) if folder is not None and expected(project) else None


def file_hashes(checkout: Path, sets: tuple[str, ...] = SETS) -> dict[str, str]:
    """Each development set's articles file, relative to ``checkout``, and its sha256."""
    found = {}
    for name in sets:
        path = checkout / name / "articles.jsonl"
        found[path.relative_to(checkout).as_posix()] = hashlib.sha256(
            path.read_bytes()).hexdigest()
    return found
