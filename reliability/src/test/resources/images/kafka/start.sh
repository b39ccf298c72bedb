#!/bin/bash
# Listens on 127.0.0.1:$KAFKA_PORT (clients) and $CONTROLLER_PORT (host networking). The log stays in
# the container, so a stopped and started container keeps every record and committed offset.
set -euo pipefail
: "${KAFKA_PORT:?}" "${CONTROLLER_PORT:?}" "${KAFKA_CLUSTER_ID:?}"
mkdir -p /var/lib/kafka
cat > /var/lib/kafka/server.properties <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=/var/lib/kafka/data
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
java=(java -Xmx384m -XX:TieredStopAtLevel=1 -cp '/opt/kafka/libs/*')
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  "${java[@]}" kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c /var/lib/kafka/server.properties
fi
exec "${java[@]}" kafka.Kafka /var/lib/kafka/server.properties
