-- The envelope-service's read model of identities, kept from the gateway's identity change records. signing_keys is
-- the JSON array of the identity's signing keys as the record carried them; changed_at is when the gateway committed
-- the change, so an older record never replaces a newer one.
CREATE TABLE identity_view (
    identity      VARCHAR(512)             PRIMARY KEY,
    identity_type VARCHAR(40)              NOT NULL,
    signing_keys  TEXT                     NOT NULL,
    changed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
