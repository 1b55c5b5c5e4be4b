#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the uploaded files.
#
#   DATABASE_URL=postgres://pnpm@127.0.0.1:5432/pnpm BACKUP_DIR=/var/backups/pnpm-prov \
#   MEDIA_ROOT=/srv/pnpm-prov/media BACKUP_KEEP_DAYS=30 deploy/backup.sh
#
# Writes db-<UTC stamp>.dump (checked readable with pg_restore --list) and
# media-<stamp>.tar.gz, removes backups older than BACKUP_KEEP_DAYS, and prints
# the dump's path. Run daily by deploy/systemd/pnpm-backup.timer.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL}"
dir=${BACKUP_DIR:-/var/backups/pnpm-prov}
keep=${BACKUP_KEEP_DAYS:-30}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
umask 077
mkdir -p "$dir"

dump="$dir/db-$stamp.dump"
pg_dump --format=custom --no-owner --no-privileges --file "$dump.partial" "$DATABASE_URL"
pg_restore --list "$dump.partial" > /dev/null
mv "$dump.partial" "$dump"

if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$dir/media-$stamp.tar.gz.partial" .
    mv "$dir/media-$stamp.tar.gz.partial" "$dir/media-$stamp.tar.gz"
fi

find "$dir" -maxdepth 1 \( -name 'db-*.dump' -o -name 'media-*.tar.gz' \) -mtime +"$keep" -delete
echo "$dump"
