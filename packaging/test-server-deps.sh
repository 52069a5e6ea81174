#!/bin/sh
# The test suite starts a throwaway PostgreSQL server of its own (tests/postgres_server.py) to
# test projects kept on a server. It needs the server programs (initdb, pg_ctl, postgres) and
# the unaccent extension, both in Debian's `postgresql` package. Install it when missing (as
# root, with apt-get); elsewhere, say what is missing: the server tests then skip, except in CI.
set -eu
found() {
  command -v pg_ctl >/dev/null 2>&1 && return 0
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && return 0
  done
  return 1
}
found && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PostgreSQL for the test suite (Debian's postgresql package)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
else
  echo "PostgreSQL's server programs are missing: the tests of projects on a server will skip." >&2
  echo "Install your system's postgresql package to run them." >&2
fi
