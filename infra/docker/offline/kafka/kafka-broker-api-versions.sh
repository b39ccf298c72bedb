#!/bin/bash
# The compose healthcheck's command (kafka-broker-api-versions.sh --bootstrap-server HOST:PORT) without
# a JVM per check: sends a Kafka ApiVersions request (v0) and succeeds when the broker answers it with
# error code 0. Takes only --bootstrap-server.
set -uo pipefail
server=localhost:9092
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap-server) server=${2%%,*}; shift 2 ;;
    *) shift ;;
  esac
done
host=${server%:*}
port=${server##*:}
exec 3<>"/dev/tcp/$host/$port" || exit 1
# size 10 | api_key 18 (ApiVersions) | api_version 0 | correlation_id 1 | client_id null
printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff' >&3
# size (4) | correlation_id (4) | error_code (2)
reply=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
exec 3>&-
[ "${reply:8:8}" = "00000001" ] && [ "${reply:16:4}" = "0000" ] || { echo "no ApiVersions answer from $server (got '$reply')" >&2; exit 1; }
echo "$server answers ApiVersions"
