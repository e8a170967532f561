-- Every LedgerEntry from credit.ledger. For a user and pool, sum(delta) is the balance.
CREATE TABLE IF NOT EXISTS credit_ledger
(
    entry_id        String,
    user_id         String,
    pool            String,
    kind            String,
    delta           Int64,
    balance_after   Int64,
    cause_id        String,
    operation_type  Nullable(String),
    note            Nullable(String),
    created_at      DateTime('UTC'),
    kafka_partition UInt32,
    kafka_offset    UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (user_id, created_at, entry_id)
