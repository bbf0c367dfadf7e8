-- Catalog, accounts and the outbox: the schema every node of the cluster uses.
-- Table owners: users/sessions -> security; artists/albums/songs/playlists -> catalog;
-- song_locations -> storage; outbox/applied_state -> outbox.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'listener')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE artists (
  id       uuid PRIMARY KEY,
  name     text NOT NULL,
  name_key text NOT NULL UNIQUE
);
CREATE INDEX artists_name_trgm ON artists USING gin (name_key gin_trgm_ops);

CREATE TABLE albums (
  id           uuid PRIMARY KEY,
  artist_id    uuid NOT NULL REFERENCES artists (id),
  title        text NOT NULL,
  title_key    text NOT NULL,
  year         int,
  cover_sha256 text,
  cover_type   text,
  UNIQUE (artist_id, title_key)
);

CREATE TABLE songs (
  id           uuid PRIMARY KEY,
  sha256       text NOT NULL UNIQUE,
  title        text NOT NULL,
  artist_id    uuid NOT NULL REFERENCES artists (id),
  album_id     uuid NOT NULL REFERENCES albums (id),
  album_artist text,
  track        int,
  disc         int,
  year         int,
  genre        text,
  duration_ms  bigint NOT NULL,
  bitrate      int,
  codec        text NOT NULL,
  content_type text NOT NULL,
  size         bigint NOT NULL,
  demo         boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  search_text  text NOT NULL
);
CREATE INDEX songs_album ON songs (album_id, disc, track);
CREATE INDEX songs_artist ON songs (artist_id);
CREATE INDEX songs_search_trgm ON songs USING gin (search_text gin_trgm_ops);

-- Which node holds which blob (the song location index).
CREATE TABLE song_locations (
  sha256  text NOT NULL,
  node_id text NOT NULL,
  PRIMARY KEY (sha256, node_id)
);

CREATE TABLE playlists (
  id         uuid PRIMARY KEY,
  owner_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX playlists_owner ON playlists (owner_id);

CREATE TABLE playlist_songs (
  playlist_id uuid NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
  position    int  NOT NULL,
  song_id     uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
  PRIMARY KEY (playlist_id, position)
);

-- Every catalog change commits together with its event here; the relay delivers it.
CREATE TABLE outbox (
  seq          bigint PRIMARY KEY,
  event_type   text NOT NULL,
  payload      jsonb NOT NULL,
  origin_node  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_undelivered ON outbox (seq) WHERE delivered_at IS NULL;

-- The last sequence number applied on this node, updated in the same transaction as the change.
CREATE TABLE applied_state (
  id       int PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO applied_state VALUES (1, 0);
