#!/bin/bash
# The kafka service's command: formats the KRaft storage with the admin's SCRAM credential, then starts the
# broker the image's own way. SCRAM credentials live in the cluster metadata, so the first one must be written
# at format time (kafka-storage.sh format --add-scram): nobody could authenticate to create it later. A volume
# that is already formatted is left as it is (--ignore-formatted), and so is its admin password.
set -euo pipefail
: "${SCRAM_ADMIN_PASSWORD:?set SCRAM_ADMIN_PASSWORD}"
: "${CLUSTER_ID:?set CLUSTER_ID}"
# The image's configure step writes server.properties from the KAFKA_* variables; its run script does it again.
/etc/kafka/docker/configure
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" \
  --config /opt/kafka/config/server.properties \
  --add-scram "SCRAM-SHA-512=[name=admin,password=$SCRAM_ADMIN_PASSWORD]"
unset SCRAM_ADMIN_PASSWORD
exec /etc/kafka/docker/run
