-- The ASP.NET Core Data Protection key ring shared by every silo (tokens are encrypted with these keys).
-- The XML of each key is itself encrypted with PostNext:KeyRingSecret when that is configured.
CREATE TABLE postnext_data_protection_keys (
    friendly_name  text        PRIMARY KEY,
    xml            text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
