"""Can Qt's platform plugin load here? Asked before the QApplication exists.

Qt aborts the whole process (SIGABRT, "Could not load the Qt platform plugin xcb") when the
plugin's shared libraries are missing, which is common on Ubuntu desktops: Qt >= 6.5 needs
libxcb-cursor0 for X11. So the launcher resolves the plugin's needs itself, with ``ldd`` (or,
without it, by loading the plugin), and turns a miss into one line naming the Debian/Ubuntu
packages to install. ``packaging/system-deps.sh`` runs this module (``python -m
gui.ui.platform_check xcb``) to install the same packages as root.

No Qt is imported here: the plugin is found through PySide6's package folder.
``MARGINALIA_QPA_PLUGIN_DIR`` points the check at another folder of platform plugins, which is
how the tests give it a plugin with a dependency that cannot be found.
"""

from __future__ import annotations

import os
import re
import sys
from importlib.util import find_spec
from pathlib import Path

PLUGIN_DIR_VARIABLE = "MARGINALIA_QPA_PLUGIN_DIR"
DESKTOP_PLATFORMS = ("xcb", "wayland")
# Libraries whose Debian package does not follow the soname (libfoo.so.1 -> libfoo1).
_PACKAGE_OF = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLOPEN_ERROR = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def plugin_dir() -> Path | None:
    """The folder of Qt platform plugins PySide6 ships (or the one the tests name)."""
    given = os.environ.get(PLUGIN_DIR_VARIABLE)
    if given:
        return Path(given)
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms"


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships a library: libxcb-cursor.so.0 -> libxcb-cursor0,
    libX11.so.6 -> libx11-6 (a dash when the name ends in a digit), per Debian policy 8.1."""
    if soname in _PACKAGE_OF:
        return _PACKAGE_OF[soname]
    name, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return name.lower()
    return f"{name}{'-' if name[-1].isdigit() else ''}{version}".lower()


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` needs (directly or through others) that cannot be found."""
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is not None:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False)
        return list(dict.fromkeys(_NOT_FOUND.findall(done.stdout)))
    import ctypes

    try:  # no ldd: loading the plugin names the first library that is missing
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = _DLOPEN_ERROR.search(str(exc))
        return [found.group(1)] if found else [plugin.name]
    return []


def platforms_to_try() -> list[str]:
    """The desktop platform plugins Qt will try here, in order (as QGuiApplication picks
    them); headless ones (offscreen, vnc…) need no display libraries and are not checked."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        names = [name.split(":")[0] for name in chosen.split(";") if name]
        return names if names and all(n in DESKTOP_PLATFORMS for n in names) else []
    wayland = os.environ.get("WAYLAND_DISPLAY") and \
        os.environ.get("XDG_SESSION_TYPE", "") == "wayland"
    return ["wayland", "xcb"] if wayland else ["xcb"]


def missing_packages(platform: str) -> list[str] | None:
    """Packages to install for ``platform``'s plugin to load: [] when it loads, None when
    there is no such plugin to check (another Qt build, or not Linux)."""
    folder = plugin_dir()
    plugin = folder / f"libq{platform}.so" if folder else None
    if plugin is None or not plugin.is_file():
        return None
    return list(dict.fromkeys(debian_package(lib) for lib in missing_libraries(plugin)))


def install_hint(packages: list[str]) -> str:
    """One line: what is missing and how to get it (the launcher's and system-deps.sh's)."""
    listed = " ".join(packages)
    return (f"Qt cannot open a window: the system packages {listed} are missing; install them "
            f"with 'sudo apt-get install {listed}' (or your system's equivalents), or run "
            "headless with QT_QPA_PLATFORM=offscreen")


def window_problem() -> str | None:
    """Why Qt's platform plugin would not load for this desktop, or None when one will.

    Qt falls back along its list (wayland, then xcb), so only when none of the plugins it
    will try can load is it a problem; the line then names what each of them lacks.
    """
    if sys.platform != "linux" or not (os.environ.get("DISPLAY")
                                       or os.environ.get("WAYLAND_DISPLAY")):
        return None
    platforms = platforms_to_try()
    packages: list[str] = []
    for platform in platforms:
        missing = missing_packages(platform)
        if not missing:  # loads, or not a plugin this check knows how to look at
            return None
        packages += [name for name in missing if name not in packages]
    return install_hint(packages) if packages else None


def main(argv: list[str]) -> int:
    """``python -m gui.ui.platform_check [PLATFORM]``: print the packages PLATFORM (xcb by
    default) lacks on one line and exit 1, or print nothing and exit 0."""
    missing = missing_packages(argv[0] if argv else "xcb")
    if missing:
        print(" ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
