"""The wheel ships every gui sub-package: pyproject lists packages by hand (resources/ is mapped
to gui.resources, which automatic discovery cannot do), so a new sub-package that nobody adds
to the list would work from the checkout and be missing for every user who installs."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def _package_dir(name: str, mapping: dict[str, str]) -> Path:
    if name in mapping:
        return ROOT / mapping[name]
    return ROOT.joinpath(*name.split("."))


def test_every_gui_sub_package_is_listed_for_the_wheel() -> None:
    listed = set(_setuptools_config()["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "gui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(on_disk - listed)
    assert not missing, (
        f"add {missing} to [tool.setuptools] packages in pyproject.toml, "
        "or the installed app lacks them"
    )


def test_every_listed_package_exists() -> None:
    config = _setuptools_config()
    mapping = config.get("package-dir", {})
    absent = [
        name for name in config["packages"]
        if not (_package_dir(name, mapping) / "__init__.py").is_file()
    ]
    assert not absent, f"pyproject lists packages that do not exist: {absent}"


def test_resources_ship_as_package_data() -> None:
    config = _setuptools_config()
    assert config["package-dir"]["gui.resources"] == "resources"
    assert "**/*" in config["package-data"]["gui.resources"]


def _qt_modules_left_out_of_the_bundle() -> set[str]:
    """The Qt modules packaging/marginalia.spec excludes (its UNUSED_QT list)."""
    spec = ast.parse((ROOT / "packaging" / "marginalia.spec").read_text("utf-8"))
    for node in ast.walk(spec):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "UNUSED_QT":
            names = node.value.generators[0].iter
            return {f"PySide6.{element.value}" for element in names.elts}
    raise AssertionError("packaging/marginalia.spec has no UNUSED_QT list")


def test_the_app_imports_no_qt_module_the_bundle_leaves_out() -> None:
    left_out = _qt_modules_left_out_of_the_bundle()
    assert "PySide6.QtWebEngineCore" in left_out
    used: dict[str, set[str]] = {}
    for source in (ROOT / "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            )
            for name in names:
                if name.startswith("PySide6."):
                    used.setdefault(".".join(name.split(".")[:2]), set()).add(source.name)
    wrong = {module: sorted(files) for module, files in used.items() if module in left_out}
    assert not wrong, f"remove these from UNUSED_QT in packaging/marginalia.spec: {wrong}"
