-- Daily aggregate per day x user x model x operation, fed by a materialized view on every insert
-- into ai_usage_logs. SummingMergeTree collapses rows with the same key only when parts merge,
-- so queries must always use sum(...) / maxMerge(last_call) with GROUP BY.
CREATE TABLE IF NOT EXISTS usage_daily
(
    day             Date,
    user_id         String,
    model           String,
    operation_type  String,
    requests        UInt64,
    failed          UInt64,
    tokens_input    UInt64,
    tokens_output   UInt64,
    images          UInt64,
    audio_seconds   UInt64,
    cost_usd        Decimal(38, 9),
    last_call       AggregateFunction(max, DateTime('UTC'))
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, user_id, model, operation_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS usage_daily_mv TO usage_daily AS
SELECT
    toDate(created_at)          AS day,
    user_id,
    model,
    operation_type,
    count()                     AS requests,
    countIf(status = 'FAILED')  AS failed,
    sum(tokens_input)           AS tokens_input,
    sum(tokens_output)          AS tokens_output,
    sum(toUInt64(images))       AS images,
    sum(audio_seconds)          AS audio_seconds,
    sum(cost_usd)               AS cost_usd,
    maxState(created_at)        AS last_call
FROM ai_usage_logs
GROUP BY day, user_id, model, operation_type
