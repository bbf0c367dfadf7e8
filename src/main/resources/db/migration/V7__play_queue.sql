-- A listener's play queue (issue 12), shared by their devices: the Subsonic API's
-- savePlayQueue/getPlayQueue and the web player's /api/playqueue. Owned by the catalog; written
-- only by applying ordered events. Song ids are an array (a queue may hold a song twice, in an
-- order of its own); songs deleted since are left out when the queue is read.
CREATE TABLE play_queues (
  user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  song_ids     uuid[] NOT NULL,
  current_song uuid,
  position_ms  bigint NOT NULL CHECK (position_ms >= 0),
  changed_by   text NOT NULL,
  changed_at   timestamptz NOT NULL
);
