-- The files this node's folder imports took in, by where they are on this node's disk: a re-import
-- skips a file whose size and modification time are unchanged. Node-local (about this node's disk,
-- not the catalog): written directly, not through the ordered log, and kept by a catalog rebuild,
-- which replays the songs these files became.
CREATE TABLE imported_files (
  path        text PRIMARY KEY,
  size        bigint NOT NULL,
  mtime_ms    bigint NOT NULL,
  sha256      text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
