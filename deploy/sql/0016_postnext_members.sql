-- People who sign in with email and password, their workspace roles, and the invitations (links) that bring them in.
-- Passwords are stored only as ASP.NET Core Identity password hashes; invitation tokens only as their SHA-256.
CREATE TABLE postnext_users (
    user_id        text        PRIMARY KEY,
    email          text        NOT NULL,   -- trimmed, lower-case: the sign-in name
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE UNIQUE INDEX postnext_users_by_email ON postnext_users (email);

CREATE TABLE postnext_members (
    workspace_id  text        NOT NULL,
    user_id       text        NOT NULL REFERENCES postnext_users (user_id) ON DELETE CASCADE,
    role          text        NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    joined_at     timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

CREATE INDEX postnext_members_by_user ON postnext_members (user_id);

-- Open invitations only: an accepted or revoked one is deleted, an expired one when the workspace next invites.
CREATE TABLE postnext_invitations (
    invitation_id  text        PRIMARY KEY,
    workspace_id   text        NOT NULL,
    email          text        NULL,       -- null: a bootstrap link, whoever accepts it names their email
    role           text        NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    token_hash     bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    created_by     text        NOT NULL    -- a user id, 'operator', or a key id
);

CREATE UNIQUE INDEX postnext_invitations_by_token ON postnext_invitations (token_hash);
CREATE INDEX postnext_invitations_by_workspace ON postnext_invitations (workspace_id, created_at);
