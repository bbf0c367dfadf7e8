-- The outbox is also each node's copy of the cluster's event log: every event, applied in order.
ALTER TABLE outbox ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN epoch_owner text NOT NULL DEFAULT '';
CREATE INDEX outbox_origin_undelivered ON outbox (origin_node, seq) WHERE delivered_at IS NULL;

-- Events this node could not apply (unknown type, bad payload): kept for the operator, skipped
-- in order so later events still apply; shown in the cluster view.
CREATE TABLE parked_events (
  seq        bigint PRIMARY KEY,
  event_type text NOT NULL,
  payload    jsonb,
  error      text NOT NULL,
  parked_at  timestamptz NOT NULL DEFAULT now()
);

-- The highest ring epoch this node promised to follow; survives restarts so a fenced token
-- cannot come back after one.
CREATE TABLE ring_state (
  id             int PRIMARY KEY CHECK (id = 1),
  promised_epoch bigint NOT NULL,
  promised_owner text NOT NULL
);
INSERT INTO ring_state VALUES (1, 0, '');

-- Catalog rows must come out identical on every node: times are set by the writer, not now().
ALTER TABLE songs ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE users ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE playlists ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE playlists ALTER COLUMN updated_at DROP DEFAULT;
ALTER TABLE sessions ALTER COLUMN created_at DROP DEFAULT;
