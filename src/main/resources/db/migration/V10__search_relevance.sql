-- Search in relevance order without ranking every match (issue 13; RelevantSongs, bench/search.md).
-- Index only: nothing the appliers write changes.

-- Songs whose title starts with the query come first, in title order: a range of this index, read
-- in its order up to the page. Byte order ("C") so that "starts with" is a range in any locale.
CREATE INDEX songs_title_prefix ON songs ((lower(title) COLLATE "C"));
