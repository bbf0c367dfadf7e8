-- Per-user play counts kept at write time (issue 13; PlayCounts, bench/search.md): the home view's
-- most played, Subsonic's frequent and recent albums and every song's playCount read a row or walk
-- an index instead of summing the caller's plays (278-329 ms for a listener with 20,000 plays).
-- Written only by the play and song-deletion appliers, in the same transaction as the play, so
-- every node holds the same counts; rows go with their user, song or album (ON DELETE CASCADE).

CREATE TABLE play_counts (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  song_id     uuid NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
  plays       bigint NOT NULL CHECK (plays > 0),
  last_played timestamptz NOT NULL,
  PRIMARY KEY (user_id, song_id)
);
-- Most played: walked from the top, song_id last so the order is total and the walk stops at the shelf.
CREATE INDEX play_counts_most ON play_counts (user_id, plays DESC, last_played DESC, song_id);
CREATE INDEX play_counts_song ON play_counts (song_id);

-- The same per album (a song never changes album): a song's deletion recounts its album.
CREATE TABLE album_play_counts (
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  album_id    uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
  plays       bigint NOT NULL CHECK (plays > 0),
  last_played timestamptz NOT NULL,
  PRIMARY KEY (user_id, album_id)
);
CREATE INDEX album_play_counts_most ON album_play_counts (user_id, plays DESC, last_played DESC);
CREATE INDEX album_play_counts_recent ON album_play_counts (user_id, last_played DESC);
CREATE INDEX album_play_counts_album ON album_play_counts (album_id);

-- The plays recorded so far; every node holds the same plays, so every node gets the same counts.
INSERT INTO play_counts (user_id, song_id, plays, last_played)
SELECT user_id, song_id, count(*), max(played_at) FROM plays GROUP BY user_id, song_id;
INSERT INTO album_play_counts (user_id, album_id, plays, last_played)
SELECT pc.user_id, s.album_id, sum(pc.plays), max(pc.last_played) FROM play_counts pc JOIN songs s ON s.id = pc.song_id
GROUP BY pc.user_id, s.album_id;
