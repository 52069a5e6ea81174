#!/bin/sh
# Qt needs a few shared libraries that a bare Debian or Ubuntu machine may lack: some for Qt to
# start at all (checked with the offscreen platform, which the tests use), more for a window on
# an X11 desktop (the xcb platform plugin; Qt >= 6.5 needs libxcb-cursor0, for one). As root,
# install what is missing with apt-get; otherwise say what is missing in one line. Without the
# X11 libraries the tests still run, so only a Qt that cannot start at all stops the install.
set -eu
python="$1"
base="libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core"
hint() {  # the launcher's one line about the X11 packages
  "$python" -c "import sys; from gui.ui.platform_check import install_hint; print(install_hint(sys.argv[1:]))" "$@" >&2
}
needed=""
if ! QT_QPA_PLATFORM=offscreen "$python" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1; then
  needed="$base"
fi
# The packages the xcb plugin lacks, found by resolving its shared libraries (gui/ui/platform_check.py,
# the same check the launcher makes before Qt could abort).
x11=$("$python" -m gui.ui.platform_check xcb || true)
needed=$(echo $needed $x11)
if [ -z "$needed" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system libraries Qt needs: $needed"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $needed >/dev/null
  x11=$("$python" -m gui.ui.platform_check xcb || true)
  [ -z "$x11" ] || hint $x11
  exit 0
fi
[ -z "$x11" ] || hint $x11
if [ "$needed" != "$x11" ]; then
  echo "Qt cannot start: install these system packages (or your system's equivalents): $needed" >&2
  exit 1
fi
