#!/bin/bash
# Run once by the clickhouse/clickhouse-server image on a fresh data volume (/docker-entrypoint-initdb.d),
# as the admin user of CLICKHOUSE_USER / CLICKHOUSE_PASSWORD. Creates the apps' two users:
#   sink      (usage-sink): owns the tables (its migrations create and alter them) and inserts rows;
#   analytics (gateway analytics, alerts' daily report): reads, nothing else (readonly = 2: may set
#             query settings, may not write).
# Their passwords come from the environment; there are no defaults.
set -euo pipefail
: "${CLICKHOUSE_SINK_PASSWORD:?set CLICKHOUSE_SINK_PASSWORD}"
: "${CLICKHOUSE_ANALYTICS_PASSWORD:?set CLICKHOUSE_ANALYTICS_PASSWORD}"
# A ClickHouse string literal: backslashes and single quotes escaped.
sql_string() { local s=${1//\\/\\\\}; s=${s//\'/\'\'}; printf "'%s'" "$s"; }
clickhouse client --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" --multiquery <<SQL
CREATE USER IF NOT EXISTS sink IDENTIFIED WITH sha256_password BY $(sql_string "$CLICKHOUSE_SINK_PASSWORD");
GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW, ALTER TABLE, ALTER VIEW ON default.* TO sink;
CREATE USER IF NOT EXISTS analytics IDENTIFIED WITH sha256_password BY $(sql_string "$CLICKHOUSE_ANALYTICS_PASSWORD")
  SETTINGS readonly = 2;
GRANT SELECT ON default.* TO analytics;
SQL
