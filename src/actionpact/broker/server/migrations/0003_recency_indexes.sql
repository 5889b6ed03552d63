-- Indexes for the queries ordered or filtered by date: /matrix with its default limit (the
-- broker keeps the newest publications first) and WIP pacts (published since a date,
-- verified within the look-back window).
CREATE INDEX IF NOT EXISTS latest_pact_publications_created_idx
    ON latest_pact_publications (created_at);
CREATE INDEX IF NOT EXISTS pact_publications_provider_created_idx
    ON pact_publications (provider_id, created_at);
CREATE INDEX IF NOT EXISTS verifications_provider_execution_idx
    ON verifications (provider_id, execution_date);
