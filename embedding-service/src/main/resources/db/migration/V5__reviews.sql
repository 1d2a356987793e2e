-- The review queue (issue 14): decisions on flagged items, per reviewer and item version; the outcome once the
-- required number of reviews agree (or disagree); findings kept as they are; the number of reviews a project needs.
CREATE TABLE review_settings (
    project_id       UUID PRIMARY KEY,
    reviews_required INTEGER NOT NULL CHECK (reviews_required BETWEEN 1 AND 5),
    updated_by       TEXT NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE review (
    review_id               UUID PRIMARY KEY,
    project_id              UUID NOT NULL,
    item_id                 UUID NOT NULL,
    item_version            BIGINT NOT NULL,
    reviewer                TEXT NOT NULL,
    decision                TEXT NOT NULL,          -- ACCEPT, KEEP, RELABEL, EXCLUDE, UNSURE
    label                   TEXT,                   -- the label voted for (ACCEPT, RELABEL) or kept (KEEP)
    given_label             TEXT NOT NULL,          -- the item's label when decided
    finding_kinds           TEXT NOT NULL,          -- what the finding said: comma-separated kinds
    finding_suggested_label TEXT,
    finding_score           DOUBLE PRECISION,
    created_at              TIMESTAMPTZ NOT NULL,
    UNIQUE (item_id, item_version, reviewer)        -- a reviewer's second decision replaces the first
);
CREATE INDEX review_project ON review (project_id);

CREATE TABLE review_outcome (
    outcome_id     UUID PRIMARY KEY,
    project_id     UUID NOT NULL,
    item_id        UUID NOT NULL,
    item_version   BIGINT NOT NULL,
    state          TEXT NOT NULL,                   -- APPLIED or DISAGREEMENT
    decision       TEXT,                            -- what applied: ACCEPT/RELABEL (a label), KEEP or EXCLUDE
    label          TEXT,                            -- the label the item has after it (null when excluded)
    previous_label TEXT NOT NULL,
    result_version BIGINT,                          -- the item's version after the change at the label service
    decided_by     TEXT NOT NULL,
    decided_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (item_id, item_version)
);
CREATE INDEX review_outcome_project ON review_outcome (project_id);

-- An item kept as it is does not come back as the same finding kind while its label stays the same.
CREATE TABLE review_kept_finding (
    project_id UUID NOT NULL,
    item_id    UUID NOT NULL,
    kind       TEXT NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (item_id, kind, label)
);
CREATE INDEX review_kept_finding_project ON review_kept_finding (project_id);
