-- Shared by every service (each in its own schema). Platform migrations are numbered 0.x and applied
-- out of order (quarkus.flyway.out-of-order=true) so a later platform change reaches services already at V5.

CREATE SEQUENCE outbox_event_seq;

-- Events written in the same transaction as the change they describe; the relay publishes and marks them.
CREATE TABLE outbox_event (
    id           BIGINT PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    msg_key      TEXT        NOT NULL,
    type         TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- Events a consumer has applied, recorded in the transaction of their effect: a redelivery is not applied twice.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
