-- One training run of the reference model on a dataset version: queued from an event (a published version, or a
-- request made at the dataset service), claimed by one replica with a lease renewed every epoch, and ended COMPLETED
-- or FAILED. Its id is the evaluation id the dataset service shows.
CREATE TABLE training_run (
    run_id        UUID PRIMARY KEY,
    project_id    UUID NOT NULL,
    version_id    UUID NOT NULL,
    trigger       TEXT NOT NULL,             -- PUBLISHED or REQUESTED
    status        TEXT NOT NULL,             -- QUEUED, RUNNING, COMPLETED, FAILED
    epochs        INTEGER NOT NULL,
    seed          BIGINT NOT NULL,
    folds         INTEGER NOT NULL DEFAULT 0,
    epoch         INTEGER NOT NULL DEFAULT 0,
    metrics       TEXT,                      -- JSON
    history       TEXT,                      -- JSON array, one entry per epoch
    predictions   TEXT,                      -- JSON, out-of-fold predictions when folds >= 2
    error         TEXT,
    requested_by  TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_until TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_run_queue ON training_run (status, created_at);
CREATE INDEX training_run_version ON training_run (version_id, created_at);

-- A project's own test ImageFolder, checked against the project's classes when set; edited with If-Match on version.
CREATE TABLE test_folder (
    project_id UUID PRIMARY KEY,
    version    BIGINT NOT NULL,
    path       TEXT NOT NULL,
    classes    TEXT NOT NULL,                -- JSON array
    images     INTEGER NOT NULL,
    set_by     TEXT,
    set_at     TIMESTAMPTZ NOT NULL
);
