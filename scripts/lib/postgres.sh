# Sourced by scripts/test and scripts/bench/*: starts a throwaway PostgreSQL 15 on a free loopback port
# (installing it first if it is missing), exports WHARF_TEST_POSTGRES_URL, and defines stop_postgres.
pgbin=/usr/lib/postgresql/15/bin
if [ ! -x "$pgbin/initdb" ]; then
  printf '\n==> installing PostgreSQL 15\n'
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
pgdir=$(mktemp -d /tmp/wharf-pg.XXXXXX)
chmod 755 "$pgdir"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_postgres() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
printf '\n==> starting PostgreSQL 15 on 127.0.0.1:%s\n' "$pgport"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 ${WHARF_PG_OPTIONS:--c fsync=off} -c max_connections=400" start >/dev/null
export WHARF_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
