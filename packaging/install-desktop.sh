#!/bin/sh
# Puts Marginalia in the desktop's menus: the .desktop entry, the icons (hicolor theme), the
# AppStream metadata and the *.marginalia file type, under PREFIX/share (default ~/.local, for
# the current user only; PREFIX=/usr/local as root for everyone).
#   sh packaging/install-desktop.sh                      # `marginalia` is on PATH (pip install)
#   sh packaging/install-desktop.sh /opt/marginalia/marginalia   # the PyInstaller bundle
set -eu
here=$(cd "$(dirname "$0")" && pwd)
icons="$here/../resources/icons"
id=org.marginalia.Marginalia
share="${PREFIX:-$HOME/.local}/share"
command="${1:-marginalia}"
case "$command" in
  /*) ;;
  marginalia) ;;
  *) command="$(cd "$(dirname "$command")" && pwd)/$(basename "$command")" ;;
esac
[ -x "$command" ] || command -v "$command" >/dev/null 2>&1 || {
  echo "install-desktop: $command is not an executable (give the path to the bundle's marginalia)" >&2
  exit 1
}

mkdir -p "$share/applications" "$share/metainfo" "$share/mime/packages" \
  "$share/icons/hicolor/scalable/apps"
sed -e "s|^Exec=marginalia |Exec=$command |" -e "s|^TryExec=marginalia\$|TryExec=$command|" \
  "$here/$id.desktop" > "$share/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$share/metainfo/"
cp "$here/$id.mime.xml" "$share/mime/packages/$id.xml"
cp "$icons/marginalia.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for size in 16 32 48 64 128 256 512; do
  mkdir -p "$share/icons/hicolor/${size}x$size/apps"
  cp "$icons/marginalia-$size.png" "$share/icons/hicolor/${size}x$size/apps/$id.png"
done

# Refresh the desktop's caches where the tools exist; a missing tool only delays the refresh.
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$share/mime" >/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "installed Marginalia's desktop entry, icons and file type under $share (runs $command)"
