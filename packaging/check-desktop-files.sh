#!/bin/sh
# Validates the desktop entry and the AppStream metadata with the freedesktop tools (Frescobaldi's
# practice). Installs the validators with apt-get when run as root and they are missing.
set -eu
cd "$(dirname "$0")"
if ! command -v desktop-file-validate >/dev/null 2>&1 || ! command -v appstreamcli >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the validators: desktop-file-utils appstream"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq desktop-file-utils appstream >/dev/null
  else
    echo "install desktop-file-utils and appstream to validate the desktop files" >&2
    exit 1
  fi
fi
desktop-file-validate org.marginalia.Marginalia.desktop
appstreamcli validate --no-net org.marginalia.Marginalia.metainfo.xml
echo "desktop entry and AppStream metadata are valid"
