-- Of tokens_input, the prompt tokens the provider served from its cache (priced at the model's
-- cached-input rate, so cost_usd already reflects them). Rows written before this column read 0.
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: the migration runner skips it when the column exists.
ALTER TABLE ai_usage_logs ADD COLUMN tokens_cached_input UInt64 DEFAULT 0 AFTER tokens_output
