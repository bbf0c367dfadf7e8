-- Fills an EMPTY dspot catalog (schema made by the node's own migrations, the admin user made by its
-- first start) with :songs songs, written straight into PostgreSQL while no node uses the database.
-- Used by bench/search.sh; by hand:
--   psql -v songs=100000 -v admin=admin -f bench/gen-catalog.sql <database>
--
-- The rows have the shape CatalogEvents.applySongAdded writes (ids, keys = lower-cased names with
-- single spaces, search_text = lower(title artist album albumArtist) as SongSearch.searchText
-- builds it, created_at in microseconds), so the node reads them as if they had been uploaded. No
-- outbox rows: a single node serves what is in its tables; never point a cluster at this.
--
-- Spread: :songs/10 albums of ~10 tracks, :songs/100 artists, 10 % of songs by a guest artist on
-- someone else's album (album_artist set), 24 genres in mixed case, years 1955-2024 per album,
-- titles of 1-4 words from a word list with accents and mixed case; 'love' in ~6 % of titles
-- (the common word), 'zephyrine' in 1 of ~10,000 (the rare one). 20 listeners plus the admin with
-- favourites, ratings and plays: per-user marks have other users' rows to skip.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE words (n int PRIMARY KEY, w text NOT NULL);
INSERT INTO words (n, w)
SELECT ordinality - 1, w FROM unnest(string_to_array(
  'night day blue red golden silver river ocean mountain city street road fire rain snow summer winter '
  'autumn spring morning evening midnight star moon sun sky heart soul dream shadow light dark wild '
  'lonely broken sweet bitter electric velvet crystal neon paper glass iron stone desert forest garden '
  'island harbor bridge tower window door house home train station highway motel diner radio '
  'television telephone letter song dance ballad blues waltz tango rhapsody anthem lullaby serenade '
  'symphony overture prelude nocturne echo whisper thunder lightning storm wave tide wind breeze '
  'café Noël Ångström über niño façade déjà crème señor Mädchen Straße Zürich São Paulo Kraków Öresund '
  'naïve jalapeño fiancée résumé cliché piñata smörgåsbord Bjørn Ærø Łódź '
  'ANGEL DEVIL KING QUEEN PRINCE PRINCESS Ghost Machine Robot Rocket Satellite Planet Galaxy Comet '
  'tomorrow yesterday forever never always maybe nothing everything somebody nobody '
  'running falling flying dreaming waiting burning shining crying laughing singing dancing '
  'Paris London Berlin Tokyo Memphis Nashville Chicago Detroit Havana Lisbon Dublin Oslo '
  'coffee whiskey wine honey sugar pepper salt bread cherry lemon orange apple '
  'little big old new last first only other same true false real', ' ')) WITH ORDINALITY AS t(w);

CREATE TEMP TABLE genres (n int PRIMARY KEY, g text NOT NULL);
INSERT INTO genres (n, g)
SELECT ordinality - 1, g FROM unnest(ARRAY['Rock', 'rock', 'Pop', 'Jazz', 'jazz', 'Blues', 'Electronic',
  'Hip-Hop', 'Classical', 'Folk', 'Country', 'Soul', 'R&B', 'Reggae', 'Metal', 'Punk', 'Indie', 'Ambient',
  'Électro', 'Chanson', 'Bossa Nova', 'Funk', 'Disco', 'Soundtrack']) WITH ORDINALITY AS t(g);

-- A stable pseudo-random number in [0, m) from a seed and a salt.
CREATE FUNCTION pg_temp.pick(seed int, salt int, m int) RETURNS int LANGUAGE sql IMMUTABLE AS
  $$ SELECT ((hashint8(seed::bigint * 7919 + salt) % m) + m)::int % m $$;
CREATE FUNCTION pg_temp.word(seed int, salt int) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT w FROM words WHERE n = pg_temp.pick(seed, salt, (SELECT count(*)::int FROM words)) $$;

SELECT :songs AS n_songs, greatest(:songs / 10, 1) AS n_albums, greatest(:songs / 100, 1) AS n_artists \gset

-- Artists: two distinct words in title case (unique by construction for up to 30,000 artists).
CREATE TEMP TABLE art (n int PRIMARY KEY, id uuid NOT NULL, name text NOT NULL);
INSERT INTO art
SELECT i, gen_random_uuid(),
       CASE WHEN i % 7 = 0 THEN 'The ' ELSE '' END || initcap(w1.w) || ' ' || initcap(w2.w) || CASE WHEN i >= 30000 THEN ' ' || i ELSE '' END
FROM generate_series(0, :n_artists - 1) i
JOIN words w1 ON w1.n = i % 173
JOIN words w2 ON w2.n = (i / 173 + i) % 173 + 1;
INSERT INTO artists (id, name, name_key) SELECT id, name, lower(name) FROM art;

-- Albums: each artist has ~10; title of 1-3 words, unique per artist by its index.
CREATE TEMP TABLE alb (n int PRIMARY KEY, id uuid NOT NULL, artist_n int NOT NULL, title text NOT NULL, year int, genre text);
INSERT INTO alb
SELECT i, gen_random_uuid(), i % :n_artists,
       initcap(pg_temp.word(i, 1)) || CASE pg_temp.pick(i, 2, 3) WHEN 0 THEN '' ELSE ' ' || pg_temp.word(i, 3) END
         || CASE WHEN pg_temp.pick(i, 4, 4) = 0 THEN ' ' || pg_temp.word(i, 5) ELSE '' END || ' ' || (i / :n_artists + 1),
       CASE WHEN pg_temp.pick(i, 6, 50) = 0 THEN NULL ELSE 1955 + pg_temp.pick(i, 7, 70) END,
       (SELECT g FROM genres WHERE n = pg_temp.pick(i, 8, 24))
FROM generate_series(0, :n_albums - 1) i;
INSERT INTO albums (id, artist_id, title, title_key, year, cover_sha256, cover_type)
SELECT al.id, ar.id, al.title, lower(al.title), al.year, NULL, NULL FROM alb al JOIN art ar ON ar.n = al.artist_n;

-- Songs: song i is track i % 10 + 1 of album i / 10; every 10th by a guest artist.
CREATE TEMP TABLE sng AS
SELECT i, al.id AS album_id, al.title AS album, al.year, al.genre, owner.id AS owner_id, owner.name AS owner_name,
       CASE WHEN pg_temp.pick(i, 9, 10) = 0 THEN pg_temp.pick(i, 10, :n_artists) ELSE al.artist_n END AS artist_n,
       CASE WHEN i % 10007 = 0 THEN 'Zephyrine ' ELSE '' END
         || CASE WHEN pg_temp.pick(i, 11, 16) = 0 THEN 'Love ' ELSE '' END
         || CASE pg_temp.pick(i, 12, 3) WHEN 0 THEN upper(pg_temp.word(i, 13)) WHEN 1 THEN initcap(pg_temp.word(i, 13)) ELSE pg_temp.word(i, 13) END
         || CASE WHEN pg_temp.pick(i, 14, 3) > 0 THEN ' ' || pg_temp.word(i, 15) ELSE '' END
         || CASE WHEN pg_temp.pick(i, 16, 3) = 0 THEN ' ' || initcap(pg_temp.word(i, 17)) ELSE '' END AS title
FROM generate_series(0, :n_songs - 1) i
JOIN alb al ON al.n = (i / 10) % :n_albums
JOIN art owner ON owner.n = al.artist_n;

INSERT INTO songs (id, sha256, title, artist_id, album_id, album_artist, track, disc, year, genre, duration_ms,
                   bitrate, codec, content_type, size, demo, search_text, created_at)
SELECT gen_random_uuid(), encode(sha256(convert_to('gen-song-' || s.i, 'UTF8')), 'hex'), s.title, a.id, s.album_id,
       CASE WHEN a.id <> s.owner_id THEN s.owner_name END, s.i % 10 + 1, NULL, s.year, s.genre,
       120000 + pg_temp.pick(s.i, 18, 300000), 320, 'mp3', 'audio/mpeg', 4000000 + pg_temp.pick(s.i, 19, 8000000), false,
       lower(s.title || ' ' || a.name || ' ' || s.album || ' ' || CASE WHEN a.id <> s.owner_id THEN s.owner_name ELSE '' END),
       date_trunc('microseconds', now() - make_interval(secs => (:n_songs - s.i) * 60))
FROM sng s JOIN art a ON a.n = s.artist_n;

-- Listeners: password hashes that match nothing (nobody logs in as them); the admin logs in.
INSERT INTO users (id, username, password_hash, role, created_at)
SELECT gen_random_uuid(), 'listener' || i, 'x-no-login', 'listener', now() FROM generate_series(1, 20) i;

CREATE TEMP TABLE song_n AS SELECT row_number() OVER (ORDER BY created_at, id) - 1 AS n, id, album_id, artist_id FROM songs;
CREATE UNIQUE INDEX ON song_n (n);
CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY username) - 1 AS n, id FROM users WHERE username = :'admin' OR username LIKE 'listener%';
-- Per user: 2 % of songs starred, 5 % rated, plays = 20 % of the library's size (repeats included), at most 50,000.
INSERT INTO favourite_songs (user_id, song_id, starred_at)
SELECT u.id, s.id, now() - make_interval(secs => s.n) FROM u JOIN song_n s ON pg_temp.pick(s.n::int, 20 + u.n::int, 50) = 0;
INSERT INTO ratings (user_id, song_id, rating, rated_at)
SELECT u.id, s.id, 1 + pg_temp.pick(s.n::int, 60 + u.n::int, 5), now() - make_interval(secs => s.n)
FROM u JOIN song_n s ON pg_temp.pick(s.n::int, 40 + u.n::int, 20) = 0;
INSERT INTO favourite_albums (user_id, album_id, starred_at)
SELECT u.id, al.id, now() - make_interval(secs => al.n) FROM u JOIN alb al ON pg_temp.pick(al.n, 80 + u.n::int, 50) = 0;
INSERT INTO favourite_artists (user_id, artist_id, starred_at)
SELECT u.id, ar.id, now() - make_interval(secs => ar.n) FROM u JOIN art ar ON pg_temp.pick(ar.n, 100 + u.n::int, 20) = 0;
INSERT INTO plays (id, user_id, song_id, played_at)
SELECT gen_random_uuid(), u.id, s.id, date_trunc('microseconds', now() - make_interval(secs => p * 37))
FROM u CROSS JOIN generate_series(0, least(greatest(:n_songs / 5, 1), 50000) - 1) p
JOIN song_n s ON s.n = pg_temp.pick(p, 120 + u.n::int, greatest(:n_songs / 3, 1)) + pg_temp.pick(p, 121 + u.n::int, greatest(:n_songs - :n_songs / 3, 1));

-- The per-user play counts the play applier keeps beside every play (V11; PlayCounts): written by
-- the applier, not by triggers, so filled here from the plays above, as V11 itself fills them. Before
-- round 4 they stayed empty here, and every song's playCount and the home view's most played read
-- nothing. Skipped on a schema older than V11 (an older base jar).
DO $$
BEGIN
  IF to_regclass('play_counts') IS NOT NULL THEN
    INSERT INTO play_counts (user_id, song_id, plays, last_played)
    SELECT user_id, song_id, count(*), max(played_at) FROM plays GROUP BY user_id, song_id;
    INSERT INTO album_play_counts (user_id, album_id, plays, last_played)
    SELECT pc.user_id, s.album_id, sum(pc.plays), max(pc.last_played) FROM play_counts pc JOIN songs s ON s.id = pc.song_id
    GROUP BY pc.user_id, s.album_id;
  END IF;
END $$;

ANALYZE;
SELECT (SELECT count(*) FROM songs) AS songs, (SELECT count(*) FROM albums) AS albums, (SELECT count(*) FROM artists) AS artists,
       (SELECT count(*) FROM plays) AS plays, (SELECT count(*) FROM favourite_songs) AS starred, (SELECT count(*) FROM ratings) AS ratings;
