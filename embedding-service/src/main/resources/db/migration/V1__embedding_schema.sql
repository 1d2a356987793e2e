-- What this service knows of each item, from the label service's events.
CREATE TABLE item (
    item_id        UUID PRIMARY KEY,
    project_id     UUID        NOT NULL,
    label          TEXT        NOT NULL,
    version        BIGINT      NOT NULL,
    excluded       BOOLEAN     NOT NULL,
    original_split TEXT,
    sha256         CHAR(64)    NOT NULL,
    status         TEXT        NOT NULL, -- PENDING, EMBEDDED, FAILED
    attempts       INT         NOT NULL DEFAULT 0,
    error          TEXT,
    embedder       TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX item_project ON item (project_id);
CREATE INDEX item_pending ON item (updated_at) WHERE status = 'PENDING';

-- One vector per image bytes and model: the same bytes are never embedded twice for one model.
CREATE TABLE vector (
    sha256     CHAR(64)    NOT NULL,
    embedder   TEXT        NOT NULL,
    dimension  INT         NOT NULL,
    data       BYTEA       NOT NULL, -- little-endian float32
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sha256, embedder)
);

-- Per project: how far the label service's events are applied.
CREATE TABLE project_state (
    project_id  UUID PRIMARY KEY,
    labels_seen BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
