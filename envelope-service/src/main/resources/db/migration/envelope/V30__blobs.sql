-- Blob metadata. The bytes live in the blob store (a directory by default), never in the database.
-- size_bytes is what the creator declared until the blob is complete, then the real length of its content.
-- Timestamps are node-made, in the fixed-width millisecond UTC form.
CREATE TABLE blob (
    id           VARCHAR(64)  PRIMARY KEY,
    created_by   VARCHAR(512) NOT NULL,
    thread_id    VARCHAR(64),
    filename     TEXT,
    mime_type    VARCHAR(255) NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    hash         VARCHAR(80),
    created_at   VARCHAR(30)  NOT NULL,
    completed_at VARCHAR(30)
);

CREATE INDEX blob_created_by ON blob (created_by, id);

-- The parts uploaded so far; their bytes are in the blob store under the same numbers.
CREATE TABLE blob_part (
    blob_id     VARCHAR(64) NOT NULL,
    part_number INTEGER     NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    PRIMARY KEY (blob_id, part_number)
);
