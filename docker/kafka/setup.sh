#!/bin/bash
# Run by the one-shot kafka-topics service once the broker is healthy, as the admin (a super user), over SASL.
# Creates every topic of io.aicredits.schemas.Topics (existing topics are left as they are), one SCRAM user
# per app (the password of an existing user is set again from the environment), and the apps' ACLs:
# the broker allows nothing that is not granted here (allow.everyone.if.no.acl.found=false).
# local-stack's DockerComposeFileTest reads the create and allow lines below: keep one command per line.
set -euo pipefail
: "${SCRAM_ADMIN_PASSWORD:?set SCRAM_ADMIN_PASSWORD}"
BOOTSTRAP=kafka:9092
ADMIN_CONFIG=$(mktemp)
trap 'rm -f "$ADMIN_CONFIG"' EXIT
chmod 600 "$ADMIN_CONFIG"
cat > "$ADMIN_CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$SCRAM_ADMIN_PASSWORD";
PROPERTIES

create() { /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --create --if-not-exists --replication-factor 1 "$@"; }
# user NAME PASSWORD_VARIABLE: a SCRAM-SHA-512 credential for NAME from that variable (required, no default).
user() {
  local password=${!2:?set $2}
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --alter \
    --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[password=$password]"
}
# allow NAME ARGS...: kafka-acls.sh --add for User:NAME (several --operation / --topic / --group cross).
allow() { local name=$1; shift; /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add --allow-principal "User:$name" "$@"; }

create --topic ai.requests --partitions 6
create --topic ai.decisions --partitions 6
create --topic ai.usage --partitions 6
create --topic credit.commands --partitions 6
create --topic credit.ledger --partitions 6
create --topic credit.prices --partitions 6 --config cleanup.policy=compact
create --topic ai.settings --partitions 6 --config cleanup.policy=compact
create --topic ai.api-keys --partitions 6 --config cleanup.policy=compact
create --topic ai.alerts --partitions 6
create --topic metering.dlq --partitions 6

user gateway KAFKA_GATEWAY_PASSWORD
user metering-stream KAFKA_METERING_STREAM_PASSWORD
user usage-sink KAFKA_USAGE_SINK_PASSWORD
user reset-scheduler KAFKA_RESET_SCHEDULER_PASSWORD
user alerts KAFKA_ALERTS_PASSWORD

# gateway: asks for decisions and reports usage (metering-client), publishes credit commands, settings and API keys;
# follows decisions (its reply partition), settings, API keys and alerts without a consumer group.
allow gateway --operation Write --topic ai.requests --topic ai.usage --topic credit.commands --topic ai.settings --topic ai.api-keys
allow gateway --operation Read --topic ai.decisions --topic ai.settings --topic ai.api-keys --topic ai.alerts

# metering-stream (Kafka Streams, application.id metering-stream, exactly_once_v2): the only writer of decisions
# and the ledger; its internal topics, consumer group and transactional ids carry its application id.
allow metering-stream --operation Read --topic ai.requests --topic ai.usage --topic credit.commands --topic credit.prices --topic ai.settings
allow metering-stream --operation Write --topic ai.decisions --topic credit.ledger --topic metering.dlq
allow metering-stream --operation All --topic metering-stream- --resource-pattern-type prefixed
allow metering-stream --operation Read --group metering-stream
allow metering-stream --operation Write --operation Describe --transactional-id metering-stream- --resource-pattern-type prefixed

# usage-sink: reads usage and the ledger in its own group, dead-letters what it cannot read.
allow usage-sink --operation Read --topic ai.usage --topic credit.ledger
allow usage-sink --operation Read --group usage-sink
allow usage-sink --operation Write --topic metering.dlq

# reset-scheduler: one transactional producer of period openings, and a groupless reader of the commands topic.
allow reset-scheduler --operation Write --operation Read --topic credit.commands
allow reset-scheduler --operation Write --operation Describe --transactional-id reset-scheduler

# alerts (Kafka Streams, application.id alerts, exactly_once_v2, plus the notifier's group alerts-notifier):
# reads usage, the ledger and settings, raises alerts and records the platform budget it derives in settings.
allow alerts --operation Read --topic ai.usage --topic credit.ledger --topic ai.settings --topic ai.alerts
allow alerts --operation Write --topic ai.alerts --topic ai.settings --topic metering.dlq
allow alerts --operation All --topic alerts- --resource-pattern-type prefixed
allow alerts --operation Read --group alerts --group alerts-notifier
allow alerts --operation Write --operation Describe --transactional-id alerts- --resource-pattern-type prefixed
