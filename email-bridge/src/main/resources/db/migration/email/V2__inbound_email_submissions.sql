-- Inbound mail the bridge has turned into an envelope, by Message-ID and delivery (sender and recipients), so that a
-- message handed over again (the MTA retrying after 503 DECISION_PENDING) resolves to the same envelope instead of
-- a second one. envelope_json is the signed envelope as first submitted: a resend submits exactly it again.
-- status is 'pending' until the envelope-service's decision is known here, then 'stored'.
CREATE TABLE email_inbound (
    message_id    VARCHAR(998) NOT NULL,
    delivery_key  VARCHAR(64)  NOT NULL,
    envelope_id   VARCHAR(64)  NOT NULL,
    thread_id     VARCHAR(64)  NOT NULL,
    envelope_json TEXT         NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    quarantined   BOOLEAN      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (message_id, delivery_key)
);
