-- A trained model's out-of-fold class probabilities per item (the trainer service hands them over): the label-issue
-- finder's second signal. One set per project, replaced as a whole by the next set.
CREATE TABLE model_prediction_set (
    project_id    UUID PRIMARY KEY,
    version_id    UUID,
    evaluation_id UUID,
    model         TEXT NOT NULL,
    classes       TEXT NOT NULL,          -- JSON array, the order of every item's probabilities
    items         INTEGER NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE model_prediction (
    project_id    UUID NOT NULL REFERENCES model_prediction_set (project_id) ON DELETE CASCADE,
    item_id       UUID NOT NULL,
    probabilities REAL[] NOT NULL,
    PRIMARY KEY (project_id, item_id)
);
