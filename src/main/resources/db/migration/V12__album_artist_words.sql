-- The grouped search's albums and artists from their own rows (issue 13; BrowseSql, bench/search.md).
-- A search word matches an album by its title, its artist's name, or the genre or year of one of its
-- songs; an artist by its name or one of its songs' genre or year. Read from the songs, that was per
-- word a union of three trigram lookups, one of them over every song ('blue' matches the genre Blues:
-- 3,960 songs' albums at 100,000 songs), then intersected across words: 15-69 ms. album_words and
-- artist_words hold all of it, one row per album or artist and one trigram index each, so every word
-- is one LIKE on a table a tenth (albums) or a hundredth (artists) of the songs'.
--
-- Kept by triggers, so every way a row is written keeps it (the song.added/songs.added and
-- song.deleted appliers, and rows written straight into the tables): every node applies the same
-- events in the same order and so holds the same text. A word never holds a space, and the parts
-- are joined by spaces, so a word matches the text exactly when it matches one of the parts; a
-- song's genre and year go in only when the text does not already hold them (nothing more would
-- match), so a song added to a known album writes nothing more.

-- In tables of their own: as a column of albums, added and filled here, it made the album list's
-- deep page read 18 % more buffers (2,327 against 1,979 at offset 5,000).
CREATE TABLE artist_words (
  artist_id uuid PRIMARY KEY REFERENCES artists (id) ON DELETE CASCADE,
  words     text NOT NULL
);
CREATE TABLE album_words (
  album_id uuid PRIMARY KEY REFERENCES albums (id) ON DELETE CASCADE,
  words    text NOT NULL
);

-- A song's genre and year as the text a word is matched against (SongQuery.WORDS's tail).
CREATE FUNCTION song_genre_year(genre text, year int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(lower(genre), '') || ' ' || coalesce(year::text, '') $$;

-- The words of an album or artist from scratch: its own words, then its songs' genres and years.
CREATE FUNCTION album_search_words(album uuid) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT a.title_key || ' ' || r.name_key || coalesce((SELECT ' ' || string_agg(DISTINCT song_genre_year(s.genre, s.year), ' ')
          FROM songs s WHERE s.album_id = a.id), '')
        FROM albums a JOIN artists r ON r.id = a.artist_id WHERE a.id = album $$;
CREATE FUNCTION artist_search_words(artist uuid) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT r.name_key || coalesce((SELECT ' ' || string_agg(DISTINCT song_genre_year(s.genre, s.year), ' ')
          FROM songs s WHERE s.artist_id = r.id), '')
        FROM artists r WHERE r.id = artist $$;

CREATE FUNCTION artist_words_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO artist_words (artist_id, words) VALUES (NEW.id, NEW.name_key);
  RETURN NULL;
END $$;
CREATE TRIGGER artist_words_new AFTER INSERT ON artists FOR EACH ROW EXECUTE FUNCTION artist_words_new();

-- An album's artist (its owner) exists before the album (the appliers write artists first).
CREATE FUNCTION album_words_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO album_words (album_id, words)
  VALUES (NEW.id, NEW.title_key || ' ' || coalesce((SELECT name_key FROM artists WHERE id = NEW.artist_id), ''));
  RETURN NULL;
END $$;
CREATE TRIGGER album_words_new AFTER INSERT ON albums FOR EACH ROW EXECUTE FUNCTION album_words_new();

CREATE FUNCTION song_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  part text := song_genre_year(NEW.genre, NEW.year);
BEGIN
  UPDATE album_words SET words = words || ' ' || part WHERE album_id = NEW.album_id AND strpos(words, part) = 0;
  UPDATE artist_words SET words = words || ' ' || part WHERE artist_id = NEW.artist_id AND strpos(words, part) = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER song_words_added AFTER INSERT ON songs FOR EACH ROW EXECUTE FUNCTION song_words_added();

-- A song that goes may take the only song of its genre or year with it: both texts are made again.
CREATE FUNCTION song_words_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE album_words SET words = album_search_words(album_id) WHERE album_id = OLD.album_id;
  UPDATE artist_words SET words = artist_search_words(artist_id) WHERE artist_id = OLD.artist_id;
  RETURN NULL;
END $$;
CREATE TRIGGER song_words_deleted AFTER DELETE ON songs FOR EACH ROW EXECUTE FUNCTION song_words_deleted();

INSERT INTO artist_words (artist_id, words) SELECT id, artist_search_words(id) FROM artists;
INSERT INTO album_words (album_id, words) SELECT id, album_search_words(id) FROM albums;

CREATE INDEX album_words_trgm ON album_words USING gin (words gin_trgm_ops) WITH (gin_pending_list_limit = 256);
CREATE INDEX artist_words_trgm ON artist_words USING gin (words gin_trgm_ops) WITH (gin_pending_list_limit = 256);
-- Only the grouped search read the songs' genre and year apart from their other words.
DROP INDEX songs_genre_year_trgm;

-- A short pending list for the search indexes. Rows inserted since the last vacuum wait in an
-- unsorted list that every search reads whole, up to gin_pending_list_limit (4 MB by default): 505
-- pages at 100,000 songs after the bench's load, 500 of the 529 buffers and 3-15 ms of a search for
-- a word that matches 10 songs (0.25 ms once flushed; bench/search.md). 256 kB (32 pages) bounds
-- that; inserting 5,000 songs took as long as with 4 MB (1.9-2.1 s at load 20), while no list at
-- all (fastupdate off) took 7.4-8.1 s. The list there now is flushed into the index.
ALTER INDEX songs_words_trgm SET (gin_pending_list_limit = 256);
SELECT gin_clean_pending_list('songs_words_trgm'::regclass);
ALTER INDEX albums_title_trgm SET (gin_pending_list_limit = 256);
SELECT gin_clean_pending_list('albums_title_trgm'::regclass);
ALTER INDEX artists_name_trgm SET (gin_pending_list_limit = 256);
SELECT gin_clean_pending_list('artists_name_trgm'::regclass);
