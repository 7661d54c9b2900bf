-- A webhook registered by a request that carried an Idempotency-Key remembers a digest of that key and the request
-- body, so the same request sent again (after its answer was lost) finds the webhook instead of registering a second
-- one. NULL for webhooks registered without a key; unique otherwise.
ALTER TABLE webhook ADD COLUMN request_key VARCHAR(64);
CREATE UNIQUE INDEX webhook_request_key ON webhook (request_key);
