-- Subsonic app passwords (issue 12). Token authentication (t = md5(password + salt)) needs the
-- password itself, which the users table never keeps; so each user may have one separate app
-- password, sealed with AES-GCM under a key derived from the cluster secret (never in plain
-- text here, in the event log or in an event). Deleting the user (or a rebuild's DELETE FROM
-- users) takes it along.
CREATE TABLE subsonic_passwords (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  sealed  text NOT NULL,
  set_at  timestamptz NOT NULL
);
