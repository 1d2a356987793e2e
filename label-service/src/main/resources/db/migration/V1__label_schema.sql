CREATE TABLE project (
    id         UUID PRIMARY KEY,
    name       TEXT        NOT NULL UNIQUE,
    classes    TEXT[]      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Image bytes, content-addressed and immutable; kept in the database so an item and its image commit together.
CREATE TABLE blob (
    sha256       CHAR(64) PRIMARY KEY,
    content_type TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    width        INT         NOT NULL,
    height       INT         NOT NULL,
    bytes        BYTEA       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE item (
    id              UUID PRIMARY KEY,
    project_id      UUID        NOT NULL REFERENCES project (id),
    label           TEXT        NOT NULL,
    version         BIGINT      NOT NULL,
    excluded        BOOLEAN     NOT NULL DEFAULT FALSE,
    excluded_reason TEXT,
    original_split  TEXT,
    original_path   TEXT,
    sha256          CHAR(64)    NOT NULL REFERENCES blob (sha256),
    width           INT         NOT NULL,
    height          INT         NOT NULL,
    source          TEXT        NOT NULL,
    provenance      TEXT, -- JSON
    idempotency_key TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX item_project_label ON item (project_id, label);
CREATE INDEX item_project_created ON item (project_id, created_at, id);
CREATE INDEX item_sha256 ON item (sha256);
-- Re-running an import skips what it already imported; a retried upload with the same key creates nothing new.
CREATE UNIQUE INDEX item_import_identity ON item (project_id, original_path, sha256) WHERE original_path IS NOT NULL;
CREATE UNIQUE INDEX item_idempotency_key ON item (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE SEQUENCE item_change_seq INCREMENT BY 50;
CREATE TABLE item_change (
    id         BIGINT PRIMARY KEY,
    item_id    UUID        NOT NULL REFERENCES item (id),
    version    BIGINT      NOT NULL,
    action     TEXT        NOT NULL,
    from_label TEXT,
    to_label   TEXT,
    reason     TEXT,
    actor      TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX item_change_item ON item_change (item_id, version);

CREATE TABLE import_job (
    id          UUID PRIMARY KEY,
    project_id  UUID        NOT NULL REFERENCES project (id),
    source_name TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    total       INT         NOT NULL,
    done        INT         NOT NULL,
    imported    INT         NOT NULL,
    skipped     INT         NOT NULL,
    error       TEXT,
    actor       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- One row per file an import could not take, with the reason, in archive order.
CREATE TABLE import_failure (
    job_id   UUID NOT NULL REFERENCES import_job (id),
    position INT  NOT NULL,
    path     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
);
