#!/bin/bash
# Blob service on 127.0.0.1:$AZURITE_PORT (host networking). Its blobs stay in the container, so a
# stopped and started container keeps them.
set -euo pipefail
: "${AZURITE_PORT:?}"
exec node /opt/azurite/node_modules/azurite/dist/src/blob/main.js --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
  --location /var/lib/azurite --skipApiVersionCheck --loose --disableTelemetry
