package io.dspot.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.ApiClient.Reply;
import io.dspot.testkit.Await;
import io.dspot.testkit.LocationRows;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalog as a listener browses it over HTTP, on a real node: the seven audio fixtures, plus
 * three re-tagged copies of tone.mp3 forming "Ordered Album" (the fixtures have one song per album,
 * which could not show an ordering).
 */
class CatalogApiTest {

  private static final String HOSTILE_TITLE = "<img src=x onerror=\"window.__xss=1\">Hostile";
  private static final String HOSTILE_ARTIST = "<b>Bold</b> & \"Quotes\"";
  private static final String[] FIXTURES = {"tone.mp3", "tone.flac", "tone.ogg", "tone.opus", "tone.m4a", "tone.wav", "hostile.mp3"};
  private static final int SONG_COUNT = FIXTURES.length + 3;

  @TempDir
  static Path dir;
  private static TestNode node;
  private static ApiClient admin;
  /** Songs as the upload answered them, by title. */
  private static final Map<String, JsonObject> songs = new HashMap<>();

  @BeforeAll
  static void startNodeWithLibrary() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    for (String fixture : FIXTURES) {
      remember(admin.uploadSong(ApiClient.fixture(fixture)));
    }
    // Uploaded in neither title order nor disc/track order; sorting by track before disc would differ too.
    remember(admin.uploadSong(retaggedMp3("alfa.mp3", "Alfa Song", "Ordered Band", "Ordered Album", "2", "1")));
    remember(admin.uploadSong(retaggedMp3("zulu.mp3", "Zulu Song", "Ordered Band", "Ordered Album", "1", "2")));
    remember(admin.uploadSong(retaggedMp3("mike.mp3", "Mike Song", "Ordered Band", "Ordered Album", "1", "1")));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  // ---- artists and albums ----

  @Test
  void artistListCountsEachArtistsAlbumsAndSongs() {
    Reply r = admin.get("/api/artists");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getLong("total")).isEqualTo(5);
    Map<String, List<Long>> counts = new HashMap<>();
    for (JsonObject a : objects(r.items())) {
      counts.put(a.getString("name"), List.of(a.getLong("albumCount"), a.getLong("songCount")));
    }
    assertThat(counts).containsOnly(
        Map.entry("Fixture Band", List.of(3L, 3L)),
        Map.entry("Other Artist", List.of(2L, 2L)),
        Map.entry("Unknown Artist", List.of(1L, 1L)),
        Map.entry("Ordered Band", List.of(1L, 3L)),
        Map.entry(HOSTILE_ARTIST, List.of(1L, 1L)));
  }

  @Test
  void artistDetailListsThatArtistsAlbums() {
    String artistId = song("Sine A440").getString("artistId");

    Reply r = admin.get("/api/artists/" + artistId);

    assertThat(r.status()).isEqualTo(200);
    JsonObject artist = r.json();
    assertThat(artist.getString("id")).isEqualTo(artistId);
    assertThat(artist.getString("name")).isEqualTo("Fixture Band");
    assertThat(artist.getLong("albumCount")).isEqualTo(3);
    assertThat(artist.getLong("songCount")).isEqualTo(3);
    List<JsonObject> albums = objects(artist.getJsonArray("albums"));
    assertThat(albums).extracting(a -> a.getString("title"))
        .containsExactlyInAnyOrder("Fixture Album", "Lossless Album", "Ogg Album");
    assertThat(albums).allSatisfy(a -> {
      assertThat(a.getString("artistId")).isEqualTo(artistId);
      assertThat(a.getString("artist")).isEqualTo("Fixture Band");
      assertThat(a.getLong("songCount")).isEqualTo(1);
    });
  }

  @Test
  void albumListHoldsEveryAlbumWithItsArtist() {
    Reply r = admin.get("/api/albums");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getLong("total")).isEqualTo(8);
    Map<String, String> artistOfAlbum = new HashMap<>();
    objects(r.items()).forEach(a -> artistOfAlbum.put(a.getString("title"), a.getString("artist")));
    assertThat(artistOfAlbum).containsOnly(
        Map.entry("Fixture Album", "Fixture Band"),
        Map.entry("Lossless Album", "Fixture Band"),
        Map.entry("Ogg Album", "Fixture Band"),
        Map.entry("Opus Album", "Other Artist"),
        Map.entry("Aac Album", "Other Artist"),
        Map.entry("Unknown Album", "Unknown Artist"),
        Map.entry("Hostile Album", HOSTILE_ARTIST),
        Map.entry("Ordered Album", "Ordered Band"));
  }

  @Test
  void albumListFilteredByArtistHoldsOnlyThatArtistsAlbums() {
    String otherArtist = song("Opus E659").getString("artistId");

    Reply r = admin.get("/api/albums?artistId=" + otherArtist);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getLong("total")).isEqualTo(2);
    assertThat(objects(r.items())).extracting(a -> a.getString("title")).containsExactlyInAnyOrder("Opus Album", "Aac Album");
    assertThat(objects(r.items())).extracting(a -> a.getString("artistId")).containsOnly(otherArtist);
  }

  @Test
  void albumListFilteredByUnknownArtistIsEmpty() {
    Reply r = admin.get("/api/albums?artistId=" + UUID.randomUUID());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.items()).isEmpty();
    assertThat(r.json().getLong("total")).isZero();
  }

  @Test
  void albumListFilteredByMalformedArtistIdIsRefused() {
    Reply r = admin.get("/api/albums?artistId=not-a-uuid");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("error")).isNotBlank();
  }

  @Test
  void albumDetailListsSongsByDiscThenTrack() {
    String albumId = song("Alfa Song").getString("albumId");

    Reply r = admin.get("/api/albums/" + albumId);

    assertThat(r.status()).isEqualTo(200);
    JsonObject album = r.json();
    assertThat(album.getString("title")).isEqualTo("Ordered Album");
    assertThat(album.getString("artist")).isEqualTo("Ordered Band");
    assertThat(album.getLong("songCount")).isEqualTo(3);
    List<JsonObject> tracks = objects(album.getJsonArray("songs"));
    assertThat(tracks).extracting(s -> s.getString("title")).containsExactly("Mike Song", "Zulu Song", "Alfa Song");
    assertThat(tracks).extracting(s -> s.getInteger("disc") + "/" + s.getInteger("track")).containsExactly("1/1", "1/2", "2/1");
  }

  @Test
  void albumWithEmbeddedArtServesItsCoverAsJpeg() throws Exception {
    String albumId = song("Sine A440").getString("albumId");
    assertThat(admin.get("/api/albums/" + albumId).json().getBoolean("hasCover")).isTrue();

    Reply cover = admin.get("/api/albums/" + albumId + "/cover");

    assertThat(cover.status()).isEqualTo(200);
    assertThat(cover.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(cover.body()).startsWith((byte) 0xFF, (byte) 0xD8);
    assertThat(cover.body()).isEqualTo(embeddedPicture(Files.readAllBytes(ApiClient.fixture("tone.mp3"))));
  }

  @Test
  void albumWithoutArtAnswers404JsonForItsCover() {
    String albumId = song("tone").getString("albumId");
    assertThat(admin.get("/api/albums/" + albumId).json().getBoolean("hasCover")).isFalse();

    Reply cover = admin.get("/api/albums/" + albumId + "/cover");

    assertThat(cover.status()).isEqualTo(404);
    assertThat(cover.header("Content-Type")).startsWith("application/json");
    assertThat(cover.json().getString("error")).isNotBlank();
  }

  // ---- songs ----

  @Test
  void songDetailCarriesTagsAndAudioFacts() throws Exception {
    String id = song("Sine A440").getString("id");
    Path file = ApiClient.fixture("tone.mp3");

    Reply r = admin.get("/api/songs/" + id);

    assertThat(r.status()).isEqualTo(200);
    JsonObject s = r.json();
    assertThat(s.getString("id")).isEqualTo(id);
    assertThat(s.getString("title")).isEqualTo("Sine A440");
    assertThat(s.getString("artist")).isEqualTo("Fixture Band");
    assertThat(s.getString("album")).isEqualTo("Fixture Album");
    assertThat(s.getInteger("track")).isEqualTo(3);
    assertThat(s.getInteger("disc")).isEqualTo(1);
    assertThat(s.getInteger("year")).isEqualTo(2024);
    assertThat(s.getString("genre")).isEqualTo("Test");
    assertThat(s.getDouble("duration")).isCloseTo(4.0, within(0.3));
    assertThat(s.getInteger("bitrate")).isEqualTo(128);
    assertThat(s.getString("codec")).containsIgnoringCase("mp");
    assertThat(s.getString("contentType")).isEqualTo("audio/mpeg");
    assertThat(s.getLong("size")).isEqualTo(Files.size(file));
    assertThat(s.getString("sha256")).isEqualTo(sha256(Files.readAllBytes(file)));
    assertThat(s.getBoolean("demo")).isFalse();
    assertThat(s.getString("createdAt")).isNotBlank();
    // The ids the song points at lead to its artist and album.
    assertThat(admin.get("/api/artists/" + s.getString("artistId")).json().getString("name")).isEqualTo("Fixture Band");
    assertThat(admin.get("/api/albums/" + s.getString("albumId")).json().getString("title")).isEqualTo("Fixture Album");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Sine A440   | audio/mpeg",
    "Flac C523   | audio/flac",
    "Vorbis D587 | audio/ogg",
    "Opus E659   | audio/ogg; codecs=opus",
    "Aac F698    | audio/mp4",
    "tone        | audio/wav",
  })
  void everyFormatIsDescribedWithItsContentTypeAndDuration(String title, String contentType) {
    JsonObject s = admin.get("/api/songs/" + song(title).getString("id")).json();

    assertThat(s.getString("contentType")).isEqualTo(contentType);
    assertThat(s.getDouble("duration")).isBetween(1.5, 4.5);
    assertThat(s.getString("codec")).isNotBlank();
  }

  @Test
  void hostileTagTextIsStoredAndReturnedVerbatimAsJsonText() {
    JsonObject uploaded = song(HOSTILE_TITLE);

    Reply r = admin.get("/api/songs/" + uploaded.getString("id"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().getString("title")).isEqualTo(HOSTILE_TITLE);
    assertThat(r.json().getString("artist")).isEqualTo(HOSTILE_ARTIST);
    Reply artist = admin.get("/api/artists/" + uploaded.getString("artistId"));
    assertThat(artist.json().getString("name")).isEqualTo(HOSTILE_ARTIST);
  }

  @Test
  void artistListSearchesNamesInAnyCase() {
    Reply r = admin.get("/api/artists?q=BAND");

    assertThat(r.status()).isEqualTo(200);
    assertThat(names(r.items(), "name")).containsExactlyInAnyOrder("Fixture Band", "Ordered Band");
    assertThat(names(admin.get("/api/artists?q=ixtur").items(), "name")).containsExactly("Fixture Band");
  }

  // ---- search ----

  @Test
  void searchMatchesPartOfAWord() {
    assertThat(titles(search("sin"))).containsExactly("Sine A440");
  }

  @Test
  void searchIgnoresCase() {
    assertThat(titles(search("FIXTURE band"))).containsExactlyInAnyOrder("Sine A440", "Flac C523", "Vorbis D587");
  }

  @Test
  void searchLooksAtAlbumTitlesToo() {
    assertThat(titles(search("lossless"))).containsExactly("Flac C523");
  }

  @Test
  void searchLooksAtArtistNamesToo() {
    assertThat(titles(search("other"))).containsExactlyInAnyOrder("Opus E659", "Aac F698");
  }

  @Test
  void searchRequiresEveryWordToMatch() {
    assertThat(titles(search("fixture ogg"))).containsExactly("Vorbis D587");
    assertThat(titles(search("fixture opus"))).isEmpty();
  }

  @Test
  void searchWithoutMatchAnswersEmptyItems() {
    Reply r = admin.get("/api/songs?q=" + enc("nothingsoundslikethis"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.items()).isEmpty();
    assertThat(r.json().getLong("total")).isZero();
  }

  @Test
  void searchTreatsLikeWildcardsAsPlainCharacters() {
    assertThat(titles(search("%"))).isEmpty();
    // Only the hostile title ("window.__xss") holds an underscore.
    assertThat(titles(search("_"))).containsExactly(HOSTILE_TITLE);
  }

  @Test
  void searchWithSqlInQueryFindsNothingAndHarmsNothing() {
    assertThat(titles(search("'; drop table songs; --"))).isEmpty();
    assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(SONG_COUNT);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "/api/songs   | \\",
    "/api/songs   | ' OR 1=1 --",
    "/api/songs   | 😀 🎵",
    "/api/songs   | (((",
    "/api/songs   | [a-z]*",
    "/api/artists | '; drop table artists; --",
    "/api/artists | \\",
  })
  void searchWithOddCharactersFindsNothingAndHarmsNothing(String list, String q) {
    long before = admin.get(list).json().getLong("total");

    Reply r = admin.get(list + "?q=" + enc(q));

    assertThat(r.status()).as("GET %s?q=%s → %s", list, q, r.text()).isEqualTo(200);
    assertThat(r.items()).isEmpty();
    assertThat(r.json().getLong("total")).isZero();
    assertThat(admin.get(list).json().getLong("total")).isEqualTo(before);
  }

  @Test
  void searchForADoubleQuoteFindsTheSongThatHasOne() {
    // Only the hostile song (its title and its artist) holds a double quote.
    assertThat(titles(search("\""))).containsExactly(HOSTILE_TITLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/songs", "/api/artists"})
  void searchWithANulCharacterIsRefused(String list) {
    // PostgreSQL text cannot hold NUL: refused up front, not failed in the database.
    Reply r = admin.get(list + "?q=" + enc("sin\u0000e"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).isEqualTo(new JsonObject().put("error", "parameter 'q' contains a NUL character"));
  }

  @Test
  void searchLongerThanTheLimitIsRefused() {
    Reply r = admin.get("/api/songs?q=" + "a".repeat(300));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("error")).isNotBlank();
  }

  // ---- paging ----

  @Test
  void pagesSliceTheSongListAndAgreeOnTheTotal() {
    List<String> all = ids(admin.get("/api/songs").items());
    assertThat(all).hasSize(SONG_COUNT).doesNotHaveDuplicates();

    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < SONG_COUNT; offset += 3) {
      Reply page = admin.get("/api/songs?limit=3&offset=" + offset);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().getLong("total")).isEqualTo(SONG_COUNT);
      assertThat(page.json().getInteger("limit")).isEqualTo(3);
      assertThat(page.json().getInteger("offset")).isEqualTo(offset);
      assertThat(page.items().size()).isEqualTo(Math.min(3, SONG_COUNT - offset));
      paged.addAll(ids(page.items()));
    }
    assertThat(paged).isEqualTo(all);
  }

  @Test
  void pagePastTheEndIsEmptyButStillTellsTheTotal() {
    Reply r = admin.get("/api/songs?limit=5&offset=100");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.items()).isEmpty();
    assertThat(r.json().getLong("total")).as("total on a page past the end: %s", r.text()).isEqualTo(SONG_COUNT);
  }

  @Test
  void artistAndAlbumListsPageToo() {
    Reply artists = admin.get("/api/artists?limit=2&offset=1");
    Reply albums = admin.get("/api/albums?limit=3&offset=6");

    assertThat(artists.items().size()).isEqualTo(2);
    assertThat(artists.json().getLong("total")).isEqualTo(5);
    assertThat(albums.items().size()).isEqualTo(2);
    assertThat(albums.json().getLong("total")).isEqualTo(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=abc", "limit=501", "limit=-5", "offset=-1", "offset=x", "limit=1.5"})
  void badPagingParametersAreRefused(String query) {
    for (String list : List.of("/api/songs", "/api/artists", "/api/albums")) {
      Reply r = admin.get(list + "?" + query);
      assertThat(r.status()).as("GET %s?%s → %s", list, query, r.text()).isEqualTo(400);
      assertThat(r.json().getString("error")).startsWith("query parameter '" + query.substring(0, query.indexOf('=')) + "' must be");
    }
  }

  // ---- ids ----

  @ParameterizedTest
  @ValueSource(strings = {"songs", "albums", "artists"})
  void unknownIdAnswers404(String kind) {
    Reply r = admin.get("/api/" + kind + "/" + UUID.randomUUID());

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("error")).isNotBlank();
  }

  @ParameterizedTest
  @CsvSource({
    "songs, not-a-uuid",
    "albums, not-a-uuid",
    "artists, not-a-uuid",
    "songs, 123",
    "albums, 00000000-0000-0000-0000-00000000000g",
    "artists, 0000000000000000000000000000000000000",
    "songs/%s/stream, not-a-uuid",
    "albums/%s/cover, not-a-uuid",
  })
  void malformedIdAnswers400(String kind, String badId) {
    String path = kind.contains("%s") ? "/api/" + kind.formatted(badId) : "/api/" + kind + "/" + badId;

    Reply r = admin.get(path);

    assertThat(r.status()).as("GET %s → %s", path, r.text()).isEqualTo(400);
    String what = kind.startsWith("songs") ? "song" : kind.startsWith("albums") ? "album" : "artist";
    assertThat(r.json().getString("error")).isEqualTo("malformed " + what + " id: " + badId);
  }

  @Test
  void coverOfUnknownAlbumAnswers404() {
    Reply r = admin.get("/api/albums/" + UUID.randomUUID() + "/cover");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("error")).isNotBlank();
  }

  // ---- deletion ----

  @Test
  void deletingASongRemovesItsFileAndTheAlbumAndArtistItEmptied() throws Exception {
    Path doomedFile = retaggedMp3("doomed.mp3", "Short Run", "Deleted Band", "Deleted Album", "1", "1");
    JsonObject doomed = admin.uploadSong(doomedFile);
    String id = doomed.getString("id");
    Path blob = node.dataDir().resolve("blobs").resolve(doomed.getString("sha256").substring(0, 2))
        .resolve(doomed.getString("sha256").substring(2, 4)).resolve(doomed.getString("sha256"));
    assertThat(blob).exists();
    assertThat(admin.get("/api/songs/" + id + "/stream").status()).isEqualTo(200);
    assertThat(names(admin.get("/api/artists").items(), "name")).contains("Deleted Band");
    long blobsBefore = node.blobCount();

    Reply deleted = admin.delete("/api/songs/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(admin.get("/api/songs/" + id).status()).isEqualTo(404);
    assertThat(admin.get("/api/songs/" + id + "/stream").status()).isEqualTo(404);
    assertThat(admin.get("/api/albums/" + doomed.getString("albumId")).status()).isEqualTo(404);
    assertThat(admin.get("/api/artists/" + doomed.getString("artistId")).status()).isEqualTo(404);
    assertThat(names(admin.get("/api/albums").items(), "title")).doesNotContain("Deleted Album");
    assertThat(names(admin.get("/api/artists").items(), "name")).doesNotContain("Deleted Band");
    assertThat(titles(search("short run"))).isEmpty();
    // The file goes away shortly after: storage listens for the deletion.
    Await.within(Duration.ofSeconds(5)).until("the blob removed from disk", () -> !Files.exists(blob));
    assertThat(node.blobCount()).isEqualTo(blobsBefore - 1);
    // A second delete finds nothing.
    assertThat(admin.delete("/api/songs/" + id).status()).isEqualTo(404);
    // Fixture Album shares the same embedded picture, and keeps it, with its row in the location index.
    Reply cover = admin.get("/api/albums/" + song("Sine A440").getString("albumId") + "/cover");
    assertThat(cover.status()).isEqualTo(200);
    assertThat(LocationRows.holders(node.node().jdbcUrl(), sha256(cover.body()))).containsExactly(node.nodeId());
    assertThat(admin.get("/api/songs").json().getLong("total")).isEqualTo(SONG_COUNT);
  }

  @Test
  void theUploadingNodeIsIndexedAsTheFirstHolderOfTheSongAndOfItsAlbumsCover() throws Exception {
    JsonObject song = song("Sine A440");
    byte[] picture = admin.get("/api/albums/" + song.getString("albumId") + "/cover").body();

    assertThat(LocationRows.holders(node.node().jdbcUrl(), song.getString("sha256"))).containsExactly(node.nodeId());
    assertThat(LocationRows.holders(node.node().jdbcUrl(), sha256(picture))).containsExactly(node.nodeId());
  }

  // ---- helpers ----

  private static void remember(JsonObject song) {
    songs.put(song.getString("title"), song);
  }

  private static JsonObject song(String title) {
    JsonObject s = songs.get(title);
    assertThat(s).as("uploaded song titled %s", title).isNotNull();
    return s;
  }

  private static Reply search(String q) {
    Reply r = admin.get("/api/songs?q=" + enc(q));
    assertThat(r.status()).as("search %s → %s", q, r.text()).isEqualTo(200);
    assertThat(r.json().getLong("total")).isEqualTo(r.items().size());
    return r;
  }

  private static List<String> titles(Reply r) {
    return names(r.items(), "title");
  }

  private static List<String> names(JsonArray items, String field) {
    return objects(items).stream().map(o -> o.getString(field)).toList();
  }

  private static List<String> ids(JsonArray items) {
    return names(items, "id");
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getJsonObject(i));
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * tone.mp3 with other ID3v2.3 text: every value keeps the original's length, so frame and tag
   * sizes stay valid; the audio and the cover picture are untouched.
   */
  private static Path retaggedMp3(String name, String title, String artist, String album, String disc, String track) throws Exception {
    byte[] bytes = Files.readAllBytes(ApiClient.fixture("tone.mp3"));
    Map<byte[], byte[]> swaps = new LinkedHashMap<>();
    swaps.put(textFrame("TIT2", "Sine A440"), textFrame("TIT2", title));
    swaps.put(textFrame("TPE1", "Fixture Band"), textFrame("TPE1", artist));
    swaps.put(textFrame("TPE2", "Fixture Band"), textFrame("TPE2", artist));
    swaps.put(textFrame("TALB", "Fixture Album"), textFrame("TALB", album));
    swaps.put(textFrame("TPOS", "1"), textFrame("TPOS", disc));
    swaps.put(textFrame("TRCK", "3"), textFrame("TRCK", track));
    for (var swap : swaps.entrySet()) {
      assertThat(swap.getValue()).as("replacement frame keeps its length").hasSameSizeAs(swap.getKey());
      int at = indexOf(bytes, swap.getKey());
      assertThat(at).as("frame %s found in tone.mp3", new String(swap.getKey(), 0, 4, StandardCharsets.ISO_8859_1)).isNotNegative();
      System.arraycopy(swap.getValue(), 0, bytes, at, swap.getValue().length);
    }
    return Files.write(dir.resolve(name), bytes);
  }

  /** An ID3v2.3 text frame: id, size, no flags, ISO-8859-1, the text, a terminating NUL. */
  private static byte[] textFrame(String id, String text) {
    byte[] value = text.getBytes(StandardCharsets.ISO_8859_1);
    int size = value.length + 2;
    byte[] frame = new byte[10 + size];
    System.arraycopy(id.getBytes(StandardCharsets.ISO_8859_1), 0, frame, 0, 4);
    frame[4] = (byte) (size >>> 24);
    frame[5] = (byte) (size >>> 16);
    frame[6] = (byte) (size >>> 8);
    frame[7] = (byte) size;
    System.arraycopy(value, 0, frame, 11, value.length);
    return frame;
  }

  /** The picture bytes of the first ID3v2.3 APIC frame. */
  private static byte[] embeddedPicture(byte[] mp3) {
    int at = indexOf(mp3, "APIC".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(at).isNotNegative();
    int size = ((mp3[at + 4] & 0xFF) << 24) | ((mp3[at + 5] & 0xFF) << 16) | ((mp3[at + 6] & 0xFF) << 8) | (mp3[at + 7] & 0xFF);
    int p = at + 10 + 1; // after the header and the text encoding byte
    while (mp3[p] != 0) { // MIME type
      p++;
    }
    p += 2; // its NUL, then the picture type
    while (mp3[p] != 0) { // description
      p++;
    }
    p++;
    return Arrays.copyOfRange(mp3, p, at + 10 + size);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
