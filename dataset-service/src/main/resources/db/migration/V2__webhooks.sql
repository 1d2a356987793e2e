-- Webhooks: where to POST which events of this service, signed with the webhook's secret.
CREATE TABLE webhook (
    id         UUID PRIMARY KEY,
    url        TEXT        NOT NULL,
    events     TEXT[]      NOT NULL, -- event type wire names, or '*' for all
    secret     TEXT        NOT NULL, -- the HMAC key, kept as given (signing needs it); never returned or logged
    project_id UUID,                 -- only this project's events; NULL: every project
    active     BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL
);

-- One row per event and webhook: the queue of the delivery worker and the delivery log.
CREATE TABLE webhook_delivery (
    id               UUID PRIMARY KEY, -- the Loupe-Delivery header, the same for every attempt
    webhook_id       UUID        NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    event_type       TEXT        NOT NULL,
    payload          TEXT        NOT NULL, -- the exact body sent and signed (UTF-8)
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,          -- PENDING: due time, or the lease of the attempt in flight
    last_status_code INT,
    last_error       TEXT,
    redelivery_of    UUID,                 -- the delivery this one repeats, for POST .../redeliver
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_log ON webhook_delivery (webhook_id, created_at DESC);
