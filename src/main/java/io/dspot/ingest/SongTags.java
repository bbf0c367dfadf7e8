package io.dspot.ingest;

/** What the node learned from one audio file: its tags (cleaned up) and its audio properties. */
public record SongTags(
    String title,
    String artist,
    String album,
    String albumArtist,
    Integer track,
    Integer disc,
    Integer year,
    String genre,
    long durationMs,
    Integer bitrateKbps,
    String codec,
    String contentType,
    byte[] cover,
    String coverType) {}
