-- Every automatically federated envelope looks for the item still gathering envelopes for its recipient node:
-- queued, never attempted, for that destination. Without this index the look would scan every queued item, and a
-- peer that is down leaves many of those.
CREATE INDEX outbox_item_gathering ON outbox_item (kind, destination, status, attempts);
