-- How many plays each listener has (issue 13; the history's total, bench/search.md): counting the
-- caller's plays beside every page of /api/history read all of them, 20,000 rows and 4,330 heap
-- pages at 100,000 songs (4-40 ms; an index-only count only once a vacuum has marked the pages
-- all-visible). One row per listener instead, read with the page.
--
-- Kept by statement triggers on plays, so every way a play is written or goes keeps it: the play
-- applier, a song's or a user's deletion (ON DELETE CASCADE runs a DELETE on plays, which fires
-- these), and rows written straight into the table (tests, bench/gen-catalog.sql). Every node
-- applies the same events in the same order and so holds the same totals. The rebuild's TRUNCATE
-- fires no trigger: it empties this table with plays (UserLibraryEvents.TABLES).
CREATE TABLE play_totals (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  plays   bigint NOT NULL
);

CREATE FUNCTION play_totals_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO play_totals (user_id, plays) SELECT user_id, count(*) FROM added GROUP BY user_id
  ON CONFLICT (user_id) DO UPDATE SET plays = play_totals.plays + EXCLUDED.plays;
  RETURN NULL;
END $$;
CREATE TRIGGER play_totals_added AFTER INSERT ON plays REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION play_totals_added();

CREATE FUNCTION play_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE play_totals t SET plays = t.plays - r.n FROM (SELECT user_id, count(*) AS n FROM removed GROUP BY user_id) r
  WHERE t.user_id = r.user_id;
  RETURN NULL;
END $$;
CREATE TRIGGER play_totals_removed AFTER DELETE ON plays REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION play_totals_removed();

INSERT INTO play_totals (user_id, plays) SELECT user_id, count(*) FROM plays GROUP BY user_id;
