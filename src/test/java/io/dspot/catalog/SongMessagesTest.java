package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Song events are stored and replayed: their JSON must keep the keys events were written with. */
class SongMessagesTest {

  private static final SongTags TAGS = new SongTags("Sine A440", "Fixture Band", "Fixture Album", null, 3, null, 2024,
      "Test", 3_000L, 128, "MPEG-1 Layer 3", "audio/mpeg");
  private static final SongDraft DRAFT = new SongDraft(TAGS, "a".repeat(64), 48_000L, "b".repeat(64), "image/jpeg", true);

  @Test
  void draftCarriesTheKeysIngestAlwaysSent() {
    JsonObject json = DRAFT.toJson();
    assertThat(json.fieldNames()).containsExactly("sha256", "size", "title", "artist", "album", "albumArtist", "track", "disc",
        "year", "genre", "durationMs", "bitrate", "codec", "contentType", "coverSha256", "coverType", "demo");
    assertThat(json.getString("title")).isEqualTo("Sine A440");
    assertThat(json.getInteger("bitrate")).isEqualTo(128);
    assertThat(json.getValue("albumArtist")).isNull();
    assertThat(SongDraft.fromJson(json)).isEqualTo(DRAFT);
  }

  @Test
  void draftWithoutDemoFlagIsNoDemo() {
    JsonObject json = DRAFT.toJson();
    json.remove("demo");
    assertThat(SongDraft.fromJson(json).demo()).isFalse();
  }

  @Test
  void albumWithoutAlbumArtistBelongsToTheSongsArtist() {
    assertThat(TAGS.albumOwner()).isEqualTo("Fixture Band");
    SongTags withAlbumArtist = new SongTags("t", "Guest", "a", "Various", null, null, null, null, 1L, null, "c", "audio/mpeg");
    assertThat(withAlbumArtist.albumOwner()).isEqualTo("Various");
  }

  @Test
  void songAnswersInTheApiShapeAndReadsBack() {
    SongTags tags = new SongTags("Sine A440", "Fixture Band", "Fixture Album", null, 3, null, 2024, "Test", 3_123L, 128,
        "MPEG-1 Layer 3", "audio/mpeg");
    Song song = new Song(UUID.randomUUID(), tags, UUID.randomUUID(), UUID.randomUUID(), "a".repeat(64), 48_000L, false,
        java.time.Instant.parse("2026-11-29T10:15:30.123456Z"));
    JsonObject json = song.toJson();
    assertThat(json.fieldNames()).containsExactly("id", "title", "artist", "artistId", "album", "albumId", "albumArtist",
        "track", "disc", "year", "genre", "duration", "bitrate", "codec", "contentType", "size", "sha256", "demo", "createdAt");
    assertThat(json.getDouble("duration")).isEqualTo(3.123);
    assertThat(json.getString("createdAt")).isEqualTo("2026-11-29T10:15:30.123456Z");
    assertThat(Song.fromJson(json)).isEqualTo(song);
  }

  /** A song.added payload exactly as SongStore wrote it before the records existed. */
  private static JsonObject storedSongAdded() {
    return new JsonObject("""
        {"artist":{"id":"11111111-1111-1111-1111-111111111111","name":"Fixture Band","key":"fixture band"},
         "albumOwner":{"id":"11111111-1111-1111-1111-111111111111","name":"Fixture Band","key":"fixture band"},
         "album":{"id":"22222222-2222-2222-2222-222222222222","title":"Fixture Album","key":"fixture album","year":2024,
                  "coverSha256":"%s","coverType":"image/jpeg"},
         "song":{"id":"33333333-3333-3333-3333-333333333333","sha256":"%s","title":"Sine A440","albumArtist":null,
                 "track":3,"disc":null,"year":2024,"genre":"Test","durationMs":3000,"bitrate":128,"codec":"MPEG-1 Layer 3",
                 "contentType":"audio/mpeg","size":48000,"demo":true,"searchText":"sine a440 fixture band fixture album",
                 "createdAt":"2026-11-29T10:15:30.123456Z"},
         "location":"node-1"}
        """.formatted("b".repeat(64), "a".repeat(64)));
  }

  @Test
  void storedSongAddedEventReadsBackToTheSameJson() {
    JsonObject stored = storedSongAdded();
    SongAdded added = SongAdded.fromJson(stored);
    assertThat(added.draft()).isEqualTo(DRAFT);
    assertThat(added.songId()).isEqualTo(UUID.fromString("33333333-3333-3333-3333-333333333333"));
    assertThat(added.albumOwner().key()).isEqualTo("fixture band");
    assertThat(added.createdAt()).isEqualTo(OffsetDateTime.parse("2026-11-29T10:15:30.123456Z"));
    assertThat(added.toJson()).isEqualTo(stored);
    assertThat(added.toJson().encode()).isEqualTo(stored.encode());
  }

  @Test
  void songDeletedKeepsItsKeysAndLeavesOutAnAbsentCover() {
    UUID id = UUID.randomUUID();
    UUID album = UUID.randomUUID();
    UUID artist = UUID.randomUUID();
    SongDeleted gone = new SongDeleted(id, "a".repeat(64), album, artist, null);
    assertThat(gone.toJson().fieldNames()).containsExactly("id", "sha256", "albumId", "artistId");
    assertThat(SongDeleted.fromJson(gone.toJson())).isEqualTo(gone);
    SongDeleted withCover = new SongDeleted(id, "a".repeat(64), album, artist, "b".repeat(64));
    assertThat(withCover.toJson().getString("coverSha256")).isEqualTo("b".repeat(64));
    assertThat(SongDeleted.fromJson(withCover.toJson())).isEqualTo(withCover);
  }
}
