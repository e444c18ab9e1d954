#!/usr/bin/env bash
# One timed unit for comparing importers (docs/PERFORMANCE.md): import ARCHIVE with the code in TREE into a fresh
# copy of a migrated SQLite database, kept in /tmp per TREE so that migrating is not timed after the first run.
#   bench/import_once.sh TREE ARCHIVE
#   farm-bench -n 3 --timeout 900 --vs "bench/import_once.sh /path/to/old-tree ARCHIVE" -- bench/import_once.sh . ARCHIVE
# PYTHON defaults to this checkout's virtualenv, so that both trees run on the same packages.
set -euo pipefail
tree=$(cd "$1" && pwd)
archive=$2
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
name=$(printf '%s' "$tree" | md5sum | cut -c1-12)
template=/tmp/ties-import-template-$name.sqlite3
export DJANGO_SECRET_KEY=bench-only DJANGO_DEBUG=0
if [ ! -f "$template" ]; then
  (cd "$tree" && DATABASE_URL="sqlite:///$template" "$python" manage.py migrate -v0)
fi
cp "$template" "/tmp/ties-import-run-$name.sqlite3"
cd "$tree"
DATABASE_URL="sqlite:////tmp/ties-import-run-$name.sqlite3" "$python" manage.py import_articles "$archive" -v0
