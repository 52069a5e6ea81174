#!/bin/sh
# Qt needs a few shared libraries that a bare Debian or Ubuntu machine may lack. When Qt cannot
# load, install them (as root, with apt-get); elsewhere, say which are missing and stop.
set -eu
python="$1"
if QT_QPA_PLATFORM=offscreen "$python" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1; then
  exit 0
fi
packages="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 fonts-dejavu-core"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the system libraries Qt needs: $packages"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
else
  echo "Qt cannot start: install these system packages (or your system's equivalents): $packages" >&2
  exit 1
fi
