-- Team access: Loupe's own accounts (or accounts of an OpenID Connect provider), their sessions and API tokens,
-- project memberships and the keys that sign every Loupe token.
CREATE TABLE account (
    id               UUID PRIMARY KEY,
    username         TEXT        NOT NULL UNIQUE,
    display_name     TEXT,
    -- bcrypt (OpenBSD format); null for accounts that sign in through an identity provider
    password_hash    TEXT,
    provider         TEXT        NOT NULL DEFAULT 'local' CHECK (provider IN ('local', 'oidc')),
    external_subject TEXT UNIQUE,
    global_admin     BOOLEAN     NOT NULL DEFAULT FALSE,
    disabled         BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL
);

-- A sign-in session or an API token; the token itself is never stored, only its SHA-256.
CREATE TABLE credential (
    id           UUID PRIMARY KEY,
    account_id   UUID        NOT NULL REFERENCES account (id),
    kind         TEXT        NOT NULL CHECK (kind IN ('session', 'api')),
    name         TEXT,
    token_sha256 CHAR(64),
    role_cap     TEXT CHECK (role_cap IN ('viewer', 'annotator', 'curator', 'admin')),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX credential_account ON credential (account_id);

CREATE TABLE project_member (
    id         UUID PRIMARY KEY,
    project_id UUID        NOT NULL REFERENCES project (id),
    account_id UUID        NOT NULL REFERENCES account (id),
    role       TEXT        NOT NULL CHECK (role IN ('viewer', 'annotator', 'curator', 'admin')),
    added_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (project_id, account_id)
);
CREATE INDEX project_member_account ON project_member (account_id);

-- RSA keys as JWK JSON (with the private part); the newest signs, all verify (rotation keeps old tokens valid).
CREATE TABLE signing_key (
    kid        TEXT PRIMARY KEY,
    jwk        TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
