-- Evaluations of the reference model on dataset versions, as the trainer reports them (ModelEvaluated events) or as
-- requested here (POST /api/versions/{v}/evaluations, QUEUED until the trainer says more).
CREATE TABLE evaluation (
    evaluation_id UUID PRIMARY KEY,
    project_id    UUID        NOT NULL,
    version_id    UUID        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    epoch         INT         NOT NULL DEFAULT 0,
    epochs        INT         NOT NULL DEFAULT 0,
    metrics       TEXT,
    error         TEXT,
    requested_by  TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX evaluation_version ON evaluation (version_id, created_at DESC);
