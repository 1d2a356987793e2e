-- Automatic curation runs (POST /api/projects/{id}/curation-runs): rounds of plan -> version -> evaluation without
-- human decisions, stepped by CurationRunWorker from the persisted step, so a restart continues where it was.
CREATE TABLE curation_run (
    run_id          UUID             PRIMARY KEY,
    project_id      UUID             NOT NULL,
    status          VARCHAR(16)      NOT NULL,    -- QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED
    budget          INT              NOT NULL,
    rounds          INT              NOT NULL,    -- rounds asked for (1-10)
    epochs          INT,                          -- of each evaluation; null: the trainer's default
    repeats         INT,                          -- of each evaluation; null: the base evaluation's
    seed            BIGINT,                       -- of each evaluation; null: the base evaluation's
    min_confidence  DOUBLE PRECISION NOT NULL,
    step            VARCHAR(16)      NOT NULL,    -- PLAN (propose and apply), APPLYING (await the plan), EVALUATING
    round_results   TEXT             NOT NULL,    -- JSON array: per round its plan, version, evaluation, scores, verdict
    best_version_id UUID,
    best_val_mean   DOUBLE PRECISION,             -- mean validation accuracy of the best version's evaluation
    error           TEXT,
    created_by      TEXT             NOT NULL,
    created_at      TIMESTAMPTZ      NOT NULL,
    updated_at      TIMESTAMPTZ      NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX curation_run_project ON curation_run (project_id, created_at DESC);
-- one active run per project; the worker steps the active ones
CREATE UNIQUE INDEX curation_run_active ON curation_run (project_id) WHERE status IN ('QUEUED', 'RUNNING');
