-- Per-seed results of completed evaluations (a run with repeats trains once per seed: seed, seed + 1, ...), so two
-- versions can be compared seed by seed (GET /api/versions/{v}/compare?against=). Written when COMPLETED arrives.
CREATE TABLE evaluation_seed (
    evaluation_id  UUID             NOT NULL REFERENCES evaluation (evaluation_id) ON DELETE CASCADE,
    project_id     UUID             NOT NULL,
    version_id     UUID             NOT NULL,
    seed           BIGINT           NOT NULL,
    val_accuracy   DOUBLE PRECISION NOT NULL,
    test_accuracy  DOUBLE PRECISION,
    classes        TEXT,            -- JSON array, label-index order of the matrices
    per_class      TEXT,            -- JSON object class -> val accuracy (recall)
    confusion      TEXT,            -- JSON classes x classes counts on val, rows true, columns predicted
    test_per_class TEXT,
    test_confusion TEXT,
    finished_at    TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (evaluation_id, seed)
);
CREATE INDEX evaluation_seed_version ON evaluation_seed (version_id, seed, finished_at DESC);
