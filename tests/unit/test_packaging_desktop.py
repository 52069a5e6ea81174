"""What the desktop sees of Marginalia: the .desktop entry, the AppStream metadata and the icons
must agree with the app (its id, its command, its version) and pass the freedesktop
validators, or the app goes missing from menus and software centres."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gui import APP_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
ICONS = ROOT / "resources" / "icons"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_launches_the_installed_command_with_the_app_icon() -> None:
    entry = _desktop_entry()
    command = next(iter(PYPROJECT["project"]["scripts"]))
    assert entry["Exec"].split()[0] == command
    assert entry["TryExec"] == command
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert "application/x-marginalia-project" in entry["MimeType"].split(";")


def test_metainfo_names_the_app_its_desktop_entry_and_the_current_release() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == next(iter(PYPROJECT["project"]["scripts"]))
    assert root.findtext("project_license") == PYPROJECT["project"]["license"]
    releases = [release.get("version") for release in root.iter("release")]
    assert PYPROJECT["project"]["version"] in releases, "add this version's <release> entry"


def test_mime_type_claims_project_files() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(MIME).getroot().find("m:mime-type", ns)
    assert mime is not None
    assert mime.get("type") == "application/x-marginalia-project"
    assert mime.find("m:glob", ns).get("pattern") == "*.marginalia"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path} is no PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_renders_exist_at_every_size(size: int) -> None:
    assert _png_size(ICONS / f"marginalia-{size}.png") == (size, size)


def test_icon_svg_is_a_square_drawing() -> None:
    root = ET.parse(ICONS / "marginalia.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _x, _y, width, height = map(float, root.get("viewBox").split())
    assert width == height


def test_install_desktop_puts_entry_icons_and_file_type_under_prefix(tmp_path: Path) -> None:
    bundle = tmp_path / "opt" / "marginalia"
    bundle.parent.mkdir()
    bundle.write_text("#!/bin/sh\n")
    bundle.chmod(0o755)
    prefix = tmp_path / "prefix"
    result = subprocess.run(
        ["sh", str(PACKAGING / "install-desktop.sh"), str(bundle)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFIX": str(prefix)},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    share = prefix / "share"
    installed = share / "applications" / DESKTOP.name
    assert f"Exec={bundle} %f" in installed.read_text("utf-8").splitlines()
    for size in ICON_SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)],
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout


def test_install_desktop_refuses_a_path_that_is_no_program(tmp_path: Path) -> None:
    result = subprocess.run(
        ["sh", str(PACKAGING / "install-desktop.sh"), str(tmp_path / "nothing")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFIX": str(tmp_path / "p")},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "is not an executable" in result.stderr
    assert not (tmp_path / "p").exists()
