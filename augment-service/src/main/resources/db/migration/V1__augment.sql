-- A project's own label policy; absent = the shipped default.
CREATE TABLE augment_policy (
    project_id  uuid PRIMARY KEY,
    policy      text        NOT NULL,
    version     bigint      NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- A job: augmentation of items, or a recipe of composites. Its units are planned when it is accepted, so
-- progress is exact and a restarted service resumes exactly the units that are not done.
CREATE TABLE augment_job (
    job_id          uuid PRIMARY KEY,
    project_id      uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('augment', 'recipe')),
    request         text        NOT NULL,
    request_hash    text        NOT NULL,
    idempotency_key text,
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total           int         NOT NULL,
    done            int         NOT NULL DEFAULT 0,
    failed          int         NOT NULL DEFAULT 0,
    seed            bigint      NOT NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    UNIQUE (project_id, idempotency_key)
);
CREATE INDEX augment_job_project ON augment_job (project_id, created_at DESC);
CREATE INDEX augment_job_open ON augment_job (status) WHERE status IN ('queued', 'running');

CREATE TABLE augment_unit (
    job_id          uuid   NOT NULL REFERENCES augment_job (job_id) ON DELETE CASCADE,
    seq             int    NOT NULL,
    parent_item_id  uuid,
    parent_version  bigint,
    parent_sha256   text,
    label           text   NOT NULL,
    seed            bigint NOT NULL,
    status          text   NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts        int    NOT NULL DEFAULT 0,
    created_item_id uuid,
    error           text,
    PRIMARY KEY (job_id, seq)
);

-- A glyph cut out of an item, kept as a white-background PNG with where it came from.
CREATE TABLE glyph (
    glyph_id     uuid PRIMARY KEY,
    project_id   uuid        NOT NULL,
    item_id      uuid        NOT NULL,
    item_version bigint      NOT NULL,
    symbol       text        NOT NULL,
    cut          text        NOT NULL,
    png          bytea       NOT NULL,
    width        int         NOT NULL,
    height       int         NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX glyph_project ON glyph (project_id, symbol, created_at);
