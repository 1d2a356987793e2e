-- Moves of images between blob stores (`./loupe blobs migrate`, POST /api/blob-migrations): one project's images or
-- every image, to the database or the bucket, image by image, while readers keep reading.
CREATE TABLE blob_migration (
    id          UUID PRIMARY KEY,
    target      TEXT        NOT NULL,
    project_id  UUID REFERENCES project (id),
    status      TEXT        NOT NULL,
    total       INT         NOT NULL,
    done        INT         NOT NULL,
    moved       INT         NOT NULL,
    skipped     INT         NOT NULL,
    failed      INT         NOT NULL,
    shared      INT         NOT NULL,
    error       TEXT,
    actor       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- One migration at a time: two moving the same image in opposite directions could delete the copy the other kept.
CREATE UNIQUE INDEX blob_migration_one_running ON blob_migration ((status)) WHERE status = 'RUNNING';

-- One row per image a migration could not move, with the reason.
CREATE TABLE blob_migration_failure (
    migration_id UUID     NOT NULL REFERENCES blob_migration (id),
    sha256       CHAR(64) NOT NULL,
    reason       TEXT     NOT NULL,
    PRIMARY KEY (migration_id, sha256)
);
