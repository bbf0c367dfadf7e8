package io.dspot.ingest;

import io.dspot.catalog.SongTags;

/** What the node learned from one audio file: its tags and the embedded cover art, if any. */
record ProbedSong(SongTags tags, byte[] cover, String coverType) {}
