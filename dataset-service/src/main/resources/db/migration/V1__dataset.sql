-- What this service knows of each item, from the label service's events.
CREATE TABLE item (
    item_id        UUID PRIMARY KEY,
    project_id     UUID        NOT NULL,
    label          TEXT        NOT NULL,
    version        BIGINT      NOT NULL,
    excluded       BOOLEAN     NOT NULL,
    sha256         CHAR(64)    NOT NULL,
    original_split TEXT,
    original_path  TEXT,
    source         TEXT,
    provenance     TEXT, -- JSON, from ItemAdded
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX item_project ON item (project_id);

-- Style cluster (within the item's class) and near-duplicate links, as the embedding service last reported them.
CREATE TABLE style (
    item_id    UUID PRIMARY KEY,
    project_id UUID NOT NULL,
    cluster    INT  NOT NULL
);
CREATE INDEX style_project ON style (project_id);
CREATE TABLE near_duplicate (
    project_id UUID NOT NULL,
    item_a     UUID NOT NULL,
    item_b     UUID NOT NULL,
    PRIMARY KEY (project_id, item_a, item_b)
);

-- Per project: the split configuration (edited by a team: version for If-Match) and the refresh state.
CREATE TABLE split_state (
    project_id        UUID PRIMARY KEY,
    strategy          TEXT             NOT NULL,
    val_fraction      DOUBLE PRECISION NOT NULL,
    seed              BIGINT           NOT NULL,
    max_items         INT,
    config_version    BIGINT           NOT NULL,
    config_applied    BIGINT           NOT NULL DEFAULT 0, -- config_version the current split was made with
    changes           BIGINT           NOT NULL DEFAULT 0, -- bumped by every applied change
    changes_refreshed BIGINT           NOT NULL DEFAULT 0, -- changes included in the current split
    first_change_at   TIMESTAMPTZ,                          -- oldest change not yet in the split
    last_change_at    TIMESTAMPTZ,
    styles_stale      BOOLEAN          NOT NULL DEFAULT FALSE,
    labels_seen       BIGINT           NOT NULL DEFAULT 0,  -- label service sequence applied to items
    split_labels_seen BIGINT           NOT NULL DEFAULT 0,  -- ... and included in the current split
    split_version     BIGINT           NOT NULL DEFAULT 0,
    counts            TEXT,                                 -- JSON {train:{cls:n}, val:{...}}
    left_out          INT              NOT NULL DEFAULT 0,
    generated_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ      NOT NULL
);

-- The current split: one row per included item, with the item version it reflects.
CREATE TABLE assignment (
    item_id      UUID PRIMARY KEY,
    project_id   UUID   NOT NULL,
    side         TEXT   NOT NULL, -- train, val, out
    label        TEXT   NOT NULL,
    cluster      INT    NOT NULL,
    item_version BIGINT NOT NULL
);
CREATE INDEX assignment_project ON assignment (project_id, side);

-- Immutable dataset versions.
CREATE TABLE dataset_version (
    version_id    UUID PRIMARY KEY,
    project_id    UUID        NOT NULL,
    name          TEXT        NOT NULL,
    note          TEXT,
    content_hash  CHAR(64)    NOT NULL,
    items         INT         NOT NULL,
    counts        TEXT        NOT NULL,
    strategy      TEXT        NOT NULL,
    split_version BIGINT      NOT NULL,
    labels_seen   BIGINT      NOT NULL,
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX dataset_version_project ON dataset_version (project_id, created_at);
CREATE TABLE version_item (
    version_id    UUID     NOT NULL REFERENCES dataset_version (version_id),
    item_id       UUID     NOT NULL,
    label         TEXT     NOT NULL,
    sha256        CHAR(64) NOT NULL,
    side          TEXT     NOT NULL,
    path          TEXT     NOT NULL, -- the file's path in the export, e.g. train/iv/a.png
    original_path TEXT,
    source        TEXT,
    provenance    TEXT,
    PRIMARY KEY (version_id, item_id)
);
