-- Curation plans (POST /api/projects/{id}/curation-plans): the proposed actions with their evidence, and what
-- applying them did (the version made and its evaluation). JSON columns are written and read by the service only.
CREATE TABLE curation_plan (
    plan_id          UUID             PRIMARY KEY,
    project_id       UUID             NOT NULL,
    number           INT              NOT NULL,    -- 1, 2, ... per project: the version is named "plan <n> of <project>"
    based_on_version UUID,
    based_on_eval    UUID,
    budget           INT              NOT NULL,
    min_confidence   DOUBLE PRECISION NOT NULL,
    items_now        INT              NOT NULL,
    items_after      INT              NOT NULL,
    inputs           TEXT             NOT NULL,    -- JSON: what the plan was derived from (counts, accuracies, sources)
    actions          TEXT             NOT NULL,    -- JSON array of actions
    status           VARCHAR(16)      NOT NULL,    -- PROPOSED, APPLYING, APPLIED, FAILED
    apply_request    TEXT,                         -- JSON {epochs, repeats, seed, actions}
    progress         TEXT,                         -- JSON array: per applied action its outcome
    error            TEXT,
    version_id       UUID,
    evaluation_id    UUID,
    created_by       TEXT             NOT NULL,
    applied_by       TEXT,
    created_at       TIMESTAMPTZ      NOT NULL,
    updated_at       TIMESTAMPTZ      NOT NULL,
    UNIQUE (project_id, number)
);
CREATE INDEX curation_plan_project ON curation_plan (project_id, created_at DESC);
CREATE INDEX curation_plan_status ON curation_plan (status) WHERE status = 'APPLYING';
