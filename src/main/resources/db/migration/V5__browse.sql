-- Browsing by genre and year (catalog): /api/genres groups by lower(genre), ?genre= matches it,
-- search words match it as an infix (trigrams); ?year= and ?decade= are ranges of songs.year.
-- Indexes only: no row changes, so every node's catalog stays identical.
CREATE INDEX songs_genre ON songs (lower(genre));
CREATE INDEX songs_genre_trgm ON songs USING gin (lower(genre) gin_trgm_ops);
CREATE INDEX songs_year ON songs (year);
