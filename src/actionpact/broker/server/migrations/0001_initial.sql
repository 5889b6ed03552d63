-- The Pact Broker's data model on SQLite: pacts are versioned by content (pact_versions,
-- keyed by the SHA of the verifiable content) and publications link consumer versions to them,
-- so a verification of one content counts for every consumer version that published it.
-- Timestamps are ISO-8601 UTC strings with microseconds: they sort as text.

CREATE TABLE pacticipants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    repository_url TEXT,
    repository_name TEXT,
    repository_namespace TEXT,
    main_branch TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- "order" of the real broker (order_versions_by_date=true) is the insertion order: the id.
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    build_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, number)
);

CREATE TABLE branches (
    id INTEGER PRIMARY KEY,
    pacticipant_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (pacticipant_id, name)
);

CREATE TABLE branch_versions (
    id INTEGER PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL,
    branch_name TEXT NOT NULL,
    auto_created INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (branch_id, version_id)
);
CREATE INDEX branch_versions_version_idx ON branch_versions (version_id);
CREATE INDEX branch_versions_pacticipant_branch_idx
    ON branch_versions (pacticipant_id, branch_name, version_id);

-- The head of a branch is the branch version added last, as in the real broker.
CREATE TABLE branch_heads (
    branch_id INTEGER PRIMARY KEY REFERENCES branches (id) ON DELETE CASCADE,
    branch_version_id INTEGER NOT NULL REFERENCES branch_versions (id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL,
    branch_name TEXT NOT NULL
);
CREATE INDEX branch_heads_version_idx ON branch_heads (version_id);
CREATE INDEX branch_heads_pacticipant_branch_idx ON branch_heads (pacticipant_id, branch_name);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (version_id, name)
);
CREATE INDEX tags_pacticipant_name_idx ON tags (pacticipant_id, name, version_id);

CREATE TABLE pact_versions (
    id INTEGER PRIMARY KEY,
    consumer_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    sha TEXT NOT NULL,
    content TEXT NOT NULL,
    interactions_count INTEGER,
    messages_count INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (consumer_id, provider_id, sha)
);
CREATE INDEX pact_versions_provider_idx ON pact_versions (provider_id);

CREATE TABLE pact_publications (
    id INTEGER PRIMARY KEY,
    consumer_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    consumer_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pact_version_id INTEGER NOT NULL REFERENCES pact_versions (id) ON DELETE CASCADE,
    revision_number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (consumer_version_id, provider_id, revision_number)
);
CREATE INDEX pact_publications_pact_version_idx ON pact_publications (pact_version_id);
CREATE INDEX pact_publications_provider_consumer_idx
    ON pact_publications (provider_id, consumer_id, consumer_version_id);

-- The newest revision of the pact of each consumer version with each provider.
CREATE TABLE latest_pact_publications (
    consumer_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    consumer_id INTEGER NOT NULL,
    pact_publication_id INTEGER NOT NULL REFERENCES pact_publications (id) ON DELETE CASCADE,
    pact_version_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (consumer_version_id, provider_id)
);
CREATE INDEX latest_pact_publications_consumer_provider_idx
    ON latest_pact_publications (consumer_id, provider_id, consumer_version_id);
CREATE INDEX latest_pact_publications_provider_idx
    ON latest_pact_publications (provider_id, consumer_version_id);
CREATE INDEX latest_pact_publications_pact_version_idx
    ON latest_pact_publications (pact_version_id);

CREATE TABLE integrations (
    consumer_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    contract_data_updated_at TEXT NOT NULL,
    PRIMARY KEY (consumer_id, provider_id)
);
CREATE INDEX integrations_provider_idx ON integrations (provider_id);

CREATE TABLE verifications (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    pact_version_id INTEGER NOT NULL REFERENCES pact_versions (id) ON DELETE CASCADE,
    provider_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    consumer_id INTEGER NOT NULL,
    provider_id INTEGER NOT NULL,
    success INTEGER NOT NULL,
    build_url TEXT,
    test_results TEXT,
    wip INTEGER NOT NULL DEFAULT 0,
    pact_pending INTEGER,
    verified_by_implementation TEXT,
    verified_by_version TEXT,
    verified_by_client_implementation TEXT,
    verified_by_client_version TEXT,
    verified_by_client_test_framework TEXT,
    consumer_version_selector_hashes TEXT,
    execution_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX verifications_pact_version_idx ON verifications (pact_version_id, success);
CREATE INDEX verifications_provider_version_idx ON verifications (provider_version_id);
CREATE INDEX verifications_consumer_provider_idx ON verifications (consumer_id, provider_id);

-- The newest verification of each pact content by each provider version.
CREATE TABLE latest_verifications (
    pact_version_id INTEGER NOT NULL REFERENCES pact_versions (id) ON DELETE CASCADE,
    provider_version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    provider_id INTEGER NOT NULL,
    consumer_id INTEGER NOT NULL,
    verification_id INTEGER NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pact_version_id, provider_version_id)
);
CREATE INDEX latest_verifications_provider_version_idx
    ON latest_verifications (provider_version_id, consumer_id);
CREATE INDEX latest_verifications_provider_consumer_idx
    ON latest_verifications (provider_id, consumer_id);

CREATE TABLE environments (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT,
    production INTEGER NOT NULL,
    contacts TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- target '' stands for "no application instance", as NULL cannot take part in equality.
CREATE TABLE deployed_versions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL,
    environment_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    target TEXT NOT NULL DEFAULT '',
    auto_created INTEGER NOT NULL DEFAULT 0,
    undeployed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deployed_versions_current_idx
    ON deployed_versions (environment_id, pacticipant_id, undeployed_at);
CREATE INDEX deployed_versions_version_idx ON deployed_versions (version_id);

CREATE TABLE released_versions (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    pacticipant_id INTEGER NOT NULL,
    environment_id INTEGER NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    support_ended_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (version_id, environment_id)
);
CREATE INDEX released_versions_current_idx
    ON released_versions (environment_id, pacticipant_id, support_ended_at);
