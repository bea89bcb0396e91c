-- Several instances on one ledger: who holds which list, under which fence, and until when.
-- Portable SQL for H2 2.x and PostgreSQL 12+ (as V1). Every lease is reckoned by the database's clock
-- (CURRENT_TIMESTAMP in the statements of LedgerSql), never by an instance's own clock.

-- One row per list an instance works on, keyed by the list's name in its inbox (a partner's list: sftp:PARTNER:NAME).
-- A claim whose lease_until has passed has lapsed: another instance may take it, and the fence goes up by one.
CREATE TABLE ledger_claim (
    list_key    VARCHAR(1000) PRIMARY KEY,
    instance    VARCHAR(200)  NOT NULL,
    fence       BIGINT        NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_claim_instance ON ledger_claim (instance);

-- A run's lease: its owner (an instance id) renews it while it works; a lapsed run is resumed by another instance
-- under fence + 1. Runs from before this migration have none: they count as lapsed.
ALTER TABLE ledger_file ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE ledger_file ADD COLUMN fence BIGINT DEFAULT 1 NOT NULL;

-- Every request is recorded against the claim it was made under.
ALTER TABLE ledger_request ADD COLUMN instance VARCHAR(200);
ALTER TABLE ledger_request ADD COLUMN fence BIGINT;

-- The instances working on this ledger, seen at each heartbeat (status; one instance only on an embedded ledger).
CREATE TABLE ledger_instance (
    instance_id VARCHAR(200) PRIMARY KEY,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
