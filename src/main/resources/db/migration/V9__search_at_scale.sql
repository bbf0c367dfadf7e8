-- Search and lists at 100,000+ songs (issue 13; measured with bench/search.sh, plans in bench/search.md).
-- Indexes only: no row changes and nothing the appliers write, so every node's catalog stays identical
-- and the song insert is untouched.

-- A search word matches the song's text, its genre or its year (SongQuery.WORD). As three LIKEs
-- joined by OR, year::text had no index and every search read the whole table; one trigram index
-- over the three, separated by spaces (a word never holds a space), serves every word.
CREATE INDEX songs_words_trgm ON songs USING gin
  ((search_text || ' ' || coalesce(lower(genre), '') || ' ' || coalesce(year::text, '')) gin_trgm_ops);
-- Superseded by songs_words_trgm: no query reads search_text alone any more.
DROP INDEX songs_search_trgm;

-- The grouped search finds albums and artists by one of their songs' genre or year (BrowseSql.GENRE_YEAR);
-- it supersedes the genre-only trigram index of V5.
CREATE INDEX songs_genre_year_trgm ON songs USING gin
  ((coalesce(lower(genre), '') || ' ' || coalesce(year::text, '')) gin_trgm_ops);
DROP INDEX songs_genre_trgm;

-- Grouped search and search3 match album titles by a fragment; the album list by name walks title_key.
CREATE INDEX albums_title_trgm ON albums USING gin (title_key gin_trgm_ops);
CREATE INDEX albums_title ON albums (title_key);
-- The artist-sorted album list walks artists by name_key, then each artist's albums in order.
CREATE INDEX albums_artist_order ON albums (artist_id, year, title_key);

-- Song lists sorted by title or duration walk these to the page instead of sorting every song.
CREATE INDEX songs_title ON songs (lower(title));
CREATE INDEX songs_duration ON songs (duration_ms);
-- year may be null and sorts last both ways (SongSort): descending needs its own index.
CREATE INDEX songs_year_desc ON songs (year DESC NULLS LAST);
