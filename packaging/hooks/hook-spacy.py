"""Replaces pyinstaller-hooks-contrib's hook for spaCy (hooks in the spec's hookspath win): the
same hidden imports and data files, without spaCy's test suite and without the languages the
app never loads. Those two are most of spaCy's modules, and asking for them only to exclude
them again made PyInstaller print 700 "hidden import not found" warnings."""

import re
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

SPACY_DIR = Path(get_package_paths("spacy")[1])

# English, and the languages that spaCy's own modules import whatever the pipeline
# (registrations.py imports the Japanese, Korean, Thai, Vietnamese and Chinese tokenizers; the
# training converters import "xx"). Read from spaCy's sources, so an update of spaCy that imports
# another language still gets it.
KEPT_LANGUAGES = {"en"} | {
    match.group(1)
    for source in SPACY_DIR.rglob("*.py")
    if not {"lang", "tests"} & set(source.relative_to(SPACY_DIR).parts)
    for match in re.finditer(r"\blang\.([a-z]{2,3})\b", source.read_text("utf-8"))
}


def _wanted(relative: tuple[str, ...]) -> bool:
    """Whether a module or data file at this path inside spaCy belongs in the bundle."""
    if "tests" in relative:
        return False
    if len(relative) > 2 and relative[0] == "lang":  # spacy/lang/<code>/...
        return relative[1] in KEPT_LANGUAGES
    return True


hiddenimports = collect_submodules("spacy", filter=lambda name: _wanted(tuple(name.split(".")[1:])))
datas = [
    (source, dest)
    for source, dest in collect_data_files("spacy")
    if _wanted(Path(source).relative_to(SPACY_DIR).parts)
]
