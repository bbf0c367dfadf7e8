-- The artist's sort key on each song (issue 13; SongQuery.fewOtherMatches, bench/search.md round 7).
-- A search's other matches are cut at the page in artist order before they meet anything else;
-- with the key on the artists only, every match probed artists_pkey for it under the generic plan
-- PostgreSQL keeps ('blue night': 704 probes, 2,112 of the statement's 3,383 buffers, 0.53 of its 3 ms).
--
-- An artist's name_key never changes (V14) and a song never changes artist, so the key is written
-- once, with the song, by a trigger: every way a song is inserted (the song.added and songs.added
-- appliers, rows written straight into the table) gets it, and every node, applying the same events,
-- holds the same keys. The trigger also follows an artist_id that an UPDATE would change.

CREATE FUNCTION artist_key_of(artist uuid) RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT name_key FROM artists WHERE id = artist $$;

-- Filled by rewriting the table once (ALTER .. TYPE with USING rewrites it and rebuilds its indexes):
-- an UPDATE of every row would leave each one twice in every index of songs until a vacuum.
ALTER TABLE songs ADD COLUMN artist_key text;
ALTER TABLE songs ALTER COLUMN artist_key TYPE text USING artist_key_of(artist_id);
ALTER TABLE songs ALTER COLUMN artist_key SET NOT NULL;

CREATE FUNCTION song_artist_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.artist_key := artist_key_of(NEW.artist_id);
  RETURN NEW;
END $$;
CREATE TRIGGER song_artist_key BEFORE INSERT OR UPDATE OF artist_id ON songs FOR EACH ROW EXECUTE FUNCTION song_artist_key();
