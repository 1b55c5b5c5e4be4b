#!/usr/bin/env bash
# Restore a backup into a NEW database, bring it to this release's schema and
# run the smoke checks. Never overwrites: it refuses a database that exists.
#
#   deploy/restore.sh /var/backups/pnpm-prov/db-20261101T020000Z.dump \
#       postgres://pnpm@127.0.0.1:5432/pnpm_restored
#
# Then point DATABASE_URL at the new database (or rename it) and restart the
# services (docs/deploy.md, "Restoring"). Uploaded files: untar media-*.tar.gz
# into MEDIA_ROOT.
set -euo pipefail

dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
target=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}

name=${target##*/}
name=${name%%\?*}
if ! [[ $name =~ ^[A-Za-z0-9_]+$ ]]; then
    echo "restore.sh: database name '$name' must be letters, digits and _" >&2
    exit 2
fi
admin_url="${target%/*}/postgres"

if [ "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" = "1" ]; then
    echo "restore.sh: database $name exists; restore into a new one" >&2
    exit 1
fi
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$name\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$dump"
cd "$here"
DATABASE_URL="$target" "$python" manage.py migrate --noinput
DATABASE_URL="$target" "$python" manage.py smoke_check
