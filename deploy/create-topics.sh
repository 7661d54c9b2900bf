#!/usr/bin/env bash
# Creates the LOOM node's Kafka topics, leaving existing ones alone. The list is org.loom.protocol.kafka.Topics
# (name, partitions, cleanup policy); system-tests DeploymentFilesTest fails when the two differ.
# Environment: BOOTSTRAP_SERVERS (host:port), REPLICATION_FACTOR (1 for a single broker, 3 in production).
set -euo pipefail
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"
BOOTSTRAP_SERVERS="${BOOTSTRAP_SERVERS:?set BOOTSTRAP_SERVERS}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
# Topic.MAX_RECORD_BYTES: a 2 MiB request body travels inside commands and events with some wrapping.
MAX_RECORD_BYTES=8388608

create() {
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor "$REPLICATION_FACTOR" --config "cleanup.policy=$3" \
    --config "max.message.bytes=$MAX_RECORD_BYTES"
}

# topic                          partitions  cleanup.policy
create loom.envelope.commands         12     delete
create loom.envelope.command-results  12     delete
create loom.envelope.events           12     delete
create loom.identity.changes           6     compact
create loom.audit.records              1     delete
create loom.federation.outbox-dlt      3     delete
create loom.email.outbox-dlt           3     delete
create loom.webhook.outbox-dlt         3     delete
