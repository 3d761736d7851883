#!/usr/bin/env bash
# Starts a throwaway PostgreSQL as the postgres user on a temp folder and a free port.
# Usage: eval "$(bash .ci/postgres.sh start)"  -> exports TEST_DATABASE_URL and PG_TMP
#        bash .ci/postgres.sh stop "$PG_TMP"
set -euo pipefail
cmd="${1:-start}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "installing postgresql" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
run_as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "$cmd" in
  start)
    tmp="$(mktemp -d /tmp/ew-pg.XXXXXX)"
    chmod 755 "$tmp"
    [ "$(id -u)" = 0 ] && chown postgres "$tmp"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    run_as_pg "$PGBIN/initdb -D $tmp/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$tmp/initdb.log 2>&1"
    run_as_pg "$PGBIN/pg_ctl -D $tmp/data -l $tmp/pg.log -w -o '-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on' start >/dev/null"
    echo "export PG_TMP=$tmp"
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    tmp="${2:?PG_TMP}"
    run_as_pg "$PGBIN/pg_ctl -D $tmp/data -m fast stop >/dev/null" || true
    rm -rf "$tmp"
    ;;
esac
