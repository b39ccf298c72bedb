#!/bin/bash
# Listens on 127.0.0.1:$PG_PORT (host networking), password authentication for the superuser
# `postgres`. The cluster stays in the container, so a stopped and started container keeps its data.
set -euo pipefail
: "${PG_PORT:?}" "${PG_PASSWORD:?}"
data=/var/lib/postgresql/reliability
if [ ! -f "$data/PG_VERSION" ]; then
  echo "$PG_PASSWORD" > /tmp/pwfile
  /usr/lib/postgresql/15/bin/initdb -D "$data" -U postgres --pwfile=/tmp/pwfile --auth=scram-sha-256 >/dev/null
  rm /tmp/pwfile
fi
exec /usr/lib/postgresql/15/bin/postgres -D "$data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories=/tmp -c fsync=off
