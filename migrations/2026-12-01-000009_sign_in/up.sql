-- Sign-in through the organisation's identity provider (OpenID Connect, code flow with PKCE).
-- The server keeps the flow's secrets and the sessions (the provider's tokens are checked and
-- dropped); the browser holds only an opaque cookie.
-- Both tables store hashes (SHA-256) of what the browser holds, so that a copy of the database
-- gives no one a session or a way to finish someone's sign-in.

-- One row per started sign-in, taken (deleted) by the callback: a state is used once.
CREATE TABLE sign_in_attempts (
    state_hash bytea PRIMARY KEY,
    nonce text NOT NULL,
    pkce_verifier text NOT NULL,
    -- A path of this site to return to after sign-in.
    return_to text NOT NULL CHECK (return_to LIKE '/%'),
    expires_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    id_hash bytea PRIMARY KEY,
    sub text NOT NULL,
    role text NOT NULL CHECK (role IN ('registrar', 'integration', 'analyst', 'admin')),
    -- As the provider says; a key of no förbund gives a session that reaches nothing.
    forbund_key text,
    -- Sent back by the pages in X-CSRF-Token with every state-changing request.
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sign_in_attempts_expires_at ON sign_in_attempts (expires_at);
