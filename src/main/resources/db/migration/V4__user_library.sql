-- Per-user library data (issue 11): favourites, ratings and plays. Owned by the catalog; written
-- only by applying ordered events, so every node holds the same rows. Every row goes with its user
-- and its item (ON DELETE CASCADE): deleting a song, an emptied album or artist, or an account
-- leaves nothing behind.

-- One table per kind of item, so each has a real foreign key.
CREATE TABLE favourite_songs (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  song_id    uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
  starred_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, song_id)
);
CREATE INDEX favourite_songs_newest ON favourite_songs (user_id, starred_at DESC);
CREATE INDEX favourite_songs_song ON favourite_songs (song_id);

CREATE TABLE favourite_albums (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  album_id   uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
  starred_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, album_id)
);
CREATE INDEX favourite_albums_newest ON favourite_albums (user_id, starred_at DESC);
CREATE INDEX favourite_albums_album ON favourite_albums (album_id);

CREATE TABLE favourite_artists (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  artist_id  uuid NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
  starred_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, artist_id)
);
CREATE INDEX favourite_artists_newest ON favourite_artists (user_id, starred_at DESC);
CREATE INDEX favourite_artists_artist ON favourite_artists (artist_id);

CREATE TABLE ratings (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  song_id  uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
  rating   smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  rated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, song_id)
);
CREATE INDEX ratings_song ON ratings (song_id);

-- One row per play (a scrobble): the history, and counted for play counts.
CREATE TABLE plays (
  id        uuid PRIMARY KEY,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  song_id   uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
  played_at timestamptz NOT NULL
);
-- A page's play counts are index-only scans of (user, song); history and recently played walk (user, time).
CREATE INDEX plays_user_song ON plays (user_id, song_id);
CREATE INDEX plays_user_time ON plays (user_id, played_at DESC);
CREATE INDEX plays_song ON plays (song_id);

-- Recently added albums walk the newest songs.
CREATE INDEX songs_created ON songs (created_at DESC);
