-- Accounts that hold under abuse (issue 8).

-- Usernames are unique whatever their case, so 'alice', 'Alice' and 'ALICE' are one account.
-- Existing clashes are not merged silently (whose playlists, whose password?): the start fails
-- and names them. Every node has the same users, so every node refuses alike. The operator
-- deletes the extra accounts with the previous version (DELETE /api/users/<id>) and starts again.
DO $$
DECLARE
  clashes text;
BEGIN
  SELECT string_agg(names, '; ' ORDER BY names) INTO clashes
  FROM (SELECT string_agg(username, ', ' ORDER BY username) AS names
        FROM users GROUP BY lower(username) HAVING count(*) > 1) c;
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION 'usernames must be unique ignoring case, but these accounts clash: %. Delete or rename all but one of each group with the previous version, then start again.', clashes;
  END IF;
END $$;
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

-- The sliding idle deadline of a session, moved forward by session.touched events in coarse
-- steps. NULL (sessions from before this version) means only expires_at applies until first use.
ALTER TABLE sessions ADD COLUMN idle_until timestamptz;
CREATE INDEX sessions_expiry ON sessions (expires_at);
