-- Raw usage rows: one per UsageEvent on ai.usage (seed 002 section 4, plus what analytics needs).
-- kafka_partition/kafka_offset say where the row came from; the sink resumes each partition at
-- max(kafka_offset) + 1, which is what makes the table effectively-once.
CREATE TABLE IF NOT EXISTS ai_usage_logs
(
    id              String,
    request_id      String,
    user_id         String,
    model           String,
    operation_type  String,
    pool            String,
    status          String,
    tokens_input    UInt64,
    tokens_output   UInt64,
    images          UInt32,
    audio_seconds   UInt64,
    cost_usd        Decimal(18, 9),
    credits_charged Nullable(Int64),
    latency_ms      UInt64,
    error           Nullable(String),
    created_at      DateTime('UTC'),
    metadata        String,
    kafka_partition UInt32,
    kafka_offset    UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (user_id, created_at, id)
