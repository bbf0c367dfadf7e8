package io.dspot.subsonic;

import static io.dspot.subsonic.SubsonicClient.errorCode;
import static io.dspot.subsonic.SubsonicClient.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Subsonic API over real HTTP against a real node: the envelope (XML and JSON with the same
 * fields, JSONP, .view, form POST), the app password (sealed in the database, revocable) and the
 * error codes apps act on.
 */
class SubsonicApiTest {

  private static final String PASSWORD_PATH = "/api/account/subsonic-password";
  private static final String ADMIN_APP_PASSWORD = "admin-app-password-1";
  private static final String LENA_PASSWORD = "lena-account-password";

  @TempDir
  static Path tmp;
  private static TestNode node;
  private static ApiClient admin;
  private static SubsonicClient subsonic;
  private static JsonObject song;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.builder().start();
    admin = new ApiClient(node).asAdmin();
    song = admin.uploadSong(TaggedSongs.mp3(tmp.resolve("quiet-harbour.mp3"), new TaggedSongs.Tags("Quiet Harbour", "Mira Vale", "Lanterns", 1, 2019, "Folk", Color.BLUE)));
    admin.uploadSong(TaggedSongs.mp3(tmp.resolve("north-wind.mp3"), new TaggedSongs.Tags("North Wind", "Mira Vale", "Lanterns", 2, 2019, "Folk", Color.BLUE)));
    admin.uploadSong(TaggedSongs.mp3(tmp.resolve("copper-sky.mp3"), new TaggedSongs.Tags("Copper Sky", "Oskar Lind", "Foundry", 1, 2021, "Rock", null)));
    ApiClient.Reply set = admin.put(PASSWORD_PATH, new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD).put("password", ADMIN_APP_PASSWORD));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    subsonic = new SubsonicClient(new ApiClient(node), "admin", ADMIN_APP_PASSWORD);
    assertThat(admin.post("/api/users", new JsonObject().put("username", "lena").put("password", LENA_PASSWORD).put("role", "listener")).status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }



  @Test
  void pingAnswersTheEnvelopeInXmlByDefaultAndInJson() throws Exception {
    ApiClient.Reply xml = subsonic.get("ping", "");
    assertThat(xml.header("Content-Type")).startsWith("text/xml");
    assertThat(XmlTree.namespace(xml.body())).isEqualTo("http://subsonic.org/restapi");
    assertThat(xml.text()).contains("status=\"ok\"").contains("version=\"1.16.1\"").contains("type=\"dspot\"").contains("openSubsonic=\"true\"");
    JsonObject json = response(subsonic.json("ping", ""));
    assertThat(json.getString("status")).isEqualTo("ok");
    assertThat(json.getString("version")).isEqualTo("1.16.1");
    assertThat(json.getString("type")).isEqualTo("dspot");
    assertThat(json.getString("serverVersion")).isNotBlank();
    assertThat(json.getBoolean("openSubsonic")).isTrue();
  }

  /** Every method this slice serves, in both forms, carries the same fields with the same values. */
  @Test
  void everyEndpointCarriesTheSameFieldsInXmlAndJson() throws Exception {
    String songId = "tr-" + song.getString("id");
    String albumId = "al-" + song.getString("albumId");
    String artistId = "ar-" + song.getString("artistId");
    JsonObject created = response(subsonic.json("createPlaylist", "name=Both+forms&songId=" + songId));
    String playlistId = created.getJsonObject("playlist").getString("id");
    List<String> calls = List.of("ping", "getLicense", "getOpenSubsonicExtensions", "getMusicFolders", "getIndexes", "getArtists",
        "getArtist?id=" + artistId, "getAlbum?id=" + albumId, "getSong?id=" + songId, "getMusicDirectory?id=" + artistId,
        "getMusicDirectory?id=" + albumId, "getAlbumList?type=alphabeticalByName", "getAlbumList2?type=newest",
        "getAlbumList2?type=starred", "search2?query=", "search3?query=harb", "getPlaylists", "getPlaylist?id=" + playlistId,
        "getUser?username=admin", "getUsers", "getScanStatus", "getGenres", "getSongsByGenre?genre=Folk", "getStarred", "getStarred2",
        "getPlayQueue", "getNowPlaying", "getAlbumList2?type=byYear&fromYear=2030&toYear=1990", "getAlbumList?type=byGenre&genre=folk",
        "getAlbumList2?type=frequent", "getArtist?id=" + albumId);
    List<String> methodsSeen = new ArrayList<>();
    for (String call : calls) {
      String method = call.contains("?") ? call.substring(0, call.indexOf('?')) : call;
      String params = call.contains("?") ? call.substring(call.indexOf('?') + 1) : "";
      ApiClient.Reply xml = subsonic.get(method, params);
      ApiClient.Reply json = subsonic.json(method, params);
      // Ordering differs only for random lists, and these calls have none.
      Object fromXml = XmlTree.withoutClock(XmlTree.fromXml(xml.body()));
      Object fromJson = XmlTree.withoutClock(XmlTree.fromJson(json.json().getJsonObject("subsonic-response")));
      assertThat(fromXml).as("%s: XML %s%nJSON %s", call, xml.text(), json.text()).isEqualTo(fromJson);
      assertThat(XmlTree.paths(fromJson)).as(call).contains("status", "version", "type", "serverVersion", "openSubsonic");
      methodsSeen.add(method);
    }
    // The last call is an error, in both forms alike; the others all succeeded with content.
    assertThat(errorCode(subsonic.json("getArtist", "id=" + albumId))).isEqualTo(70);
    assertThat(XmlTree.paths(XmlTree.fromJson(response(subsonic.json("getAlbum", "id=" + albumId)))))
        .contains("album.id", "album.name", "album.songCount", "album.duration", "album.created", "album.coverArt", "album.song.id",
            "album.song.parent", "album.song.isDir", "album.song.title", "album.song.suffix", "album.song.contentType", "album.song.duration");
    assertThat(methodsSeen).hasSize(calls.size());
  }

  /**
   * Methods whose answers differ from call to call (random order, new ids and times) or that
   * change something: both forms carry the same field names.
   */
  @Test
  void randomListsAndPlaylistChangesCarryTheSameFieldNamesInXmlAndJson() throws Exception {
    String songId = "tr-" + song.getString("id");
    List<String> calls = List.of("getRandomSongs?size=5", "getAlbumList2?type=random", "getAlbumList?type=random",
        "createPlaylist?name=Shapes&songId=" + songId);
    for (String call : calls) {
      String method = call.substring(0, call.indexOf('?'));
      String params = call.substring(call.indexOf('?') + 1);
      ApiClient.Reply xml = subsonic.get(method, params);
      ApiClient.Reply json = subsonic.json(method, params);
      assertThat(new java.util.TreeSet<>(XmlTree.paths(XmlTree.fromXml(xml.body()))))
          .as("%s: XML %s%nJSON %s", call, xml.text(), json.text())
          .isEqualTo(new java.util.TreeSet<>(XmlTree.paths(XmlTree.fromJson(json.json().getJsonObject("subsonic-response")))))
          .contains(method.equals("createPlaylist") ? "playlist.entry.id" : method.equals("getRandomSongs") ? "randomSongs.song.id" : "status");
    }
    List<String> ids = new ArrayList<>();
    for (Object p : response(subsonic.json("getPlaylists", "")).getJsonObject("playlists").getJsonArray("playlist")) {
      if (((JsonObject) p).getString("name").equals("Shapes")) {
        ids.add(((JsonObject) p).getString("id"));
      }
    }
    assertThat(ids).hasSize(2);
    Object updatedXml = XmlTree.fromXml(subsonic.get("updatePlaylist", "playlistId=" + ids.get(0) + "&name=Shapes+1").body());
    Object updatedJson = XmlTree.fromJson(response(subsonic.json("updatePlaylist", "playlistId=" + ids.get(1) + "&name=Shapes+2")));
    assertThat(updatedXml).isEqualTo(updatedJson);
    Object deletedXml = XmlTree.fromXml(subsonic.get("deletePlaylist", "id=" + ids.get(0)).body());
    Object deletedJson = XmlTree.fromJson(response(subsonic.json("deletePlaylist", "id=" + ids.get(1))));
    assertThat(deletedXml).isEqualTo(deletedJson);
    assertThat(XmlTree.paths(deletedJson)).containsExactlyInAnyOrder("status", "version", "type", "serverVersion", "openSubsonic");
  }

  @Test
  void randomSongsKeepToTheGenreAndYearsAsked() {
    List<String> rock = titles(subsonic.json("getRandomSongs", "size=50&genre=rock"));
    assertThat(rock).containsExactly("Copper Sky");
    assertThat(titles(subsonic.json("getRandomSongs", "size=50&fromYear=2020"))).containsExactly("Copper Sky");
    assertThat(titles(subsonic.json("getRandomSongs", "size=50&toYear=2019"))).containsExactlyInAnyOrder("Quiet Harbour", "North Wind");
    assertThat(titles(subsonic.json("getRandomSongs", "size=50"))).hasSize(3);
    assertThat(errorCode(subsonic.json("getRandomSongs", "fromYear=last+year"))).isZero();
    assertThat(errorCode(subsonic.json("getRandomSongs", "size=0"))).isZero();
  }

  private static List<String> titles(ApiClient.Reply reply) {
    return response(reply).getJsonObject("randomSongs").getJsonArray("song").stream().map(s -> ((JsonObject) s).getString("title")).toList();
  }

  @Test
  void theViewSuffixAFormPostAndPlainPasswordsReachTheSameMethod() {
    ApiClient http = new ApiClient(node);
    String query = subsonic.query("f=json&id=tr-" + song.getString("id"));
    JsonObject bare = response(http.get("/rest/getSong?" + query)).getJsonObject("song");
    JsonObject view = response(http.get("/rest/getSong.view?" + query)).getJsonObject("song");
    JsonObject posted = response(http.postRaw("/rest/getSong.view", "application/x-www-form-urlencoded",
        query.getBytes(StandardCharsets.UTF_8))).getJsonObject("song");
    assertThat(bare.getString("title")).isEqualTo("Quiet Harbour");
    assertThat(view).isEqualTo(bare);
    assertThat(posted).isEqualTo(bare);
    String hex = java.util.HexFormat.of().formatHex(ADMIN_APP_PASSWORD.getBytes(StandardCharsets.UTF_8));
    assertThat(response(http.get("/rest/ping?f=json&u=admin&p=" + ADMIN_APP_PASSWORD)).getString("status")).isEqualTo("ok");
    assertThat(response(http.get("/rest/ping?f=json&u=admin&p=enc:" + hex)).getString("status")).isEqualTo("ok");
    // The account password is not the app password.
    assertThat(errorCode(http.get("/rest/ping?f=json&u=admin&p=" + TestNode.ADMIN_PASSWORD))).isEqualTo(40);
  }

  @Test
  void jsonpWrapsTheAnswerInTheCallbackAndRefusesAnythingElseAsACallback() {
    ApiClient.Reply reply = subsonic.get("ping", "f=jsonp&callback=handle.answer");
    assertThat(reply.header("Content-Type")).startsWith("application/javascript");
    assertThat(reply.text()).startsWith("handle.answer({\"subsonic-response\":{").endsWith("});");
    ApiClient.Reply hostile = subsonic.get("ping", "f=jsonp&callback=" + SubsonicClient.encode("alert(1)//"));
    assertThat(hostile.text()).doesNotContain("alert(1)");
    assertThat(errorCode(hostile)).isZero();
    assertThat(errorCode(subsonic.get("ping", "f=jsonp"))).isEqualTo(10);
  }

  @Test
  void errorsCarryTheirSubsonicCodesWithHttp200() {
    ApiClient http = new ApiClient(node);
    assertThat(errorCode(http.get("/rest/ping?f=json&t=abc&s=def"))).isEqualTo(10);
    assertThat(errorCode(http.get("/rest/ping?f=json&u=admin&s=def"))).isEqualTo(10);
    assertThat(errorCode(http.get("/rest/ping?f=json&u=admin&t=" + SubsonicClient.md5("wrong" + "salt") + "&s=salt"))).isEqualTo(40);
    assertThat(errorCode(http.get("/rest/ping?f=json&u=nobody&p=whatever"))).isEqualTo(40);
    assertThat(errorCode(http.get("/rest/ping?f=json&apiKey=abc"))).isEqualTo(44);
    assertThat(errorCode(http.get("/rest/ping?f=json&apiKey=abc&u=admin"))).isEqualTo(43);
    assertThat(errorCode(subsonic.json("getAlbum", ""))).isEqualTo(10);
    assertThat(errorCode(subsonic.json("getAlbum", "id=ar-" + song.getString("artistId")))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("getAlbum", "id=al-not-a-uuid"))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("getAlbum", "id=" + song.getString("albumId")))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("getSong", "id=tr-00000000-0000-0000-0000-000000000000"))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("getAlbumList2", "type=sideways"))).isZero();
    assertThat(errorCode(subsonic.json("getAlbumList2", "type=newest&size=many"))).isZero();
    assertThat(errorCode(subsonic.json("createPlaylist", "name=x&songId=tr-00000000-0000-0000-0000-000000000000"))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("noSuchMethod", ""))).isEqualTo(70);
    assertThat(response(subsonic.json("getPlaylists", "")).getJsonObject("playlists").getJsonArray("playlist").stream()
        .map(p -> ((JsonObject) p).getString("name"))).doesNotContain("x");
  }

  @Test
  void aListenerIsRefusedAdminMethodsAndOthersDataWithError50() {
    ApiClient lena = new ApiClient(node).login("lena", LENA_PASSWORD);
    JsonObject set = lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD)).json();
    SubsonicClient lenaApp = new SubsonicClient(new ApiClient(node), "lena", set.getString("password"));
    assertThat(response(lenaApp.json("getUser", "username=lena")).getJsonObject("user").getBoolean("adminRole")).isFalse();
    assertThat(errorCode(lenaApp.json("getUsers", ""))).isEqualTo(50);
    assertThat(errorCode(lenaApp.json("getUser", "username=admin"))).isEqualTo(50);
    String adminsPlaylist = response(subsonic.json("createPlaylist", "name=Private")).getJsonObject("playlist").getString("id");
    assertThat(errorCode(lenaApp.json("getPlaylist", "id=" + adminsPlaylist))).isEqualTo(70);
    assertThat(errorCode(lenaApp.json("deletePlaylist", "id=" + adminsPlaylist))).isEqualTo(70);
    assertThat(response(subsonic.json("getPlaylist", "id=" + adminsPlaylist)).getJsonObject("playlist").getString("name")).isEqualTo("Private");
  }

  @Test
  void aGeneratedAppPasswordIsShownOnceAndARevokedOneStopsWorking() {
    ApiClient lena = new ApiClient(node).login("lena", LENA_PASSWORD);
    assertThat(lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", "not-her-password")).status()).isEqualTo(403);
    ApiClient.Reply set = lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD));
    assertThat(set.status()).isEqualTo(200);
    String generated = set.json().getString("password");
    assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
    JsonObject status = lena.get(PASSWORD_PATH).json();
    assertThat(status.getBoolean("set")).isTrue();
    assertThat(status.containsKey("password")).isFalse();
    SubsonicClient app = new SubsonicClient(new ApiClient(node), "LENA", generated);
    assertThat(response(app.json("ping", "")).getString("status")).isEqualTo("ok");
    assertThat(lena.delete(PASSWORD_PATH).status()).isEqualTo(204);
    assertThat(lena.get(PASSWORD_PATH).json().getBoolean("set")).isFalse();
    assertThat(errorCode(app.json("ping", ""))).isEqualTo(40);
  }

  @Test
  void theAppPasswordRoutesRefuseBadInputAndStrangers() {
    assertThat(new ApiClient(node).get(PASSWORD_PATH).status()).isEqualTo(401);
    assertThat(new ApiClient(node).put(PASSWORD_PATH, new JsonObject().put("currentPassword", "x")).status()).isEqualTo(401);
    assertThat(new ApiClient(node).delete(PASSWORD_PATH).status()).isEqualTo(401);
    // A user of this test's own, so what other tests set cannot hide a half-written password.
    assertThat(admin.post("/api/users", new JsonObject().put("username", "nora").put("password", LENA_PASSWORD).put("role", "listener"))
        .status()).isEqualTo(201);
    ApiClient lena = new ApiClient(node).login("nora", LENA_PASSWORD);
    assertThat(lena.put(PASSWORD_PATH, new JsonObject()).status()).isEqualTo(400);
    assertThat(lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", 42)).status()).isEqualTo(400);
    ApiClient.Reply notAString = lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD).put("password", 12345678901L));
    assertThat(notAString.status()).isEqualTo(400);
    ApiClient.Reply weak = lena.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD).put("password", "qwertyuiop"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.json().getString("error")).contains("common");
    // Nothing half-written: none of the refusals set a password.
    assertThat(lena.get(PASSWORD_PATH).json().getBoolean("set")).isFalse();
  }

  @Test
  void streamAnswersHeadAndRangesLikeTheWebPlayersStream() {
    String id = "tr-" + song.getString("id");
    ApiClient http = new ApiClient(node);
    ApiClient.Reply head = http.head("/rest/stream?" + subsonic.query("id=" + id));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(song.getLong("size").toString());
    assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(head.body()).isEmpty();
    // Nothing to transcode (the file's own format, a bitrate above its own): the file, with its Range.
    ApiClient.Reply tail = http.get("/rest/stream.view?" + subsonic.query("id=" + id + "&maxBitRate=320&format=mp3"), "Range", "bytes=-100");
    assertThat(tail.status()).isEqualTo(206);
    assertThat(tail.body()).hasSize(100);
    ApiClient.Reply download = http.get("/rest/download?" + subsonic.query("id=" + id));
    assertThat(download.header("Content-Disposition")).startsWith("attachment");
    assertThat(download.body()).hasSize(song.getInteger("size"));
    // An unknown song is an error element, not an empty 404.
    assertThat(errorCode(subsonic.json("stream", "id=tr-00000000-0000-0000-0000-000000000000"))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("stream", "id=al-" + song.getString("albumId")))).isEqualTo(70);
    assertThat(errorCode(subsonic.json("getCoverArt", "id=ar-" + song.getString("artistId")))).isEqualTo(70);
  }

  @Test
  void theApiKeyThatComesWithAnAppPasswordAuthenticatesAloneUntilThePasswordChanges() {
    assertThat(admin.post("/api/users", new JsonObject().put("username", "kai").put("password", LENA_PASSWORD).put("role", "listener"))
        .status()).isEqualTo(201);
    ApiClient kai = new ApiClient(node).login("kai", LENA_PASSWORD);
    String apiKey = kai.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD)).json().getString("apiKey");
    ApiClient http = new ApiClient(node);
    JsonObject info = response(http.get("/rest/tokenInfo?f=json&apiKey=" + SubsonicClient.encode(apiKey)));
    assertThat(info.getJsonObject("tokenInfo").getString("username")).isEqualTo("kai");
    assertThat(errorCode(http.get("/rest/ping?f=json&u=kai&apiKey=" + SubsonicClient.encode(apiKey)))).isEqualTo(43);
    String forged = apiKey.substring(0, apiKey.length() - 2) + (apiKey.endsWith("AA") ? "BB" : "AA");
    assertThat(errorCode(http.get("/rest/ping?f=json&apiKey=" + SubsonicClient.encode(forged)))).isEqualTo(44);
    // A new app password makes a new key; the old one opens nothing.
    String newKey = kai.put(PASSWORD_PATH, new JsonObject().put("currentPassword", LENA_PASSWORD)).json().getString("apiKey");
    assertThat(newKey).isNotEqualTo(apiKey);
    assertThat(errorCode(http.get("/rest/ping?f=json&apiKey=" + SubsonicClient.encode(apiKey)))).isEqualTo(44);
    assertThat(response(http.get("/rest/ping?f=json&apiKey=" + SubsonicClient.encode(newKey))).getString("status")).isEqualTo("ok");
    assertThat(kai.delete(PASSWORD_PATH).status()).isEqualTo(204);
    assertThat(errorCode(http.get("/rest/ping?f=json&apiKey=" + SubsonicClient.encode(newKey)))).isEqualTo(44);
  }

  @Test
  void theExtensionsAreListedWithoutCredentials() {
    JsonObject answer = response(new ApiClient(node).get("/rest/getOpenSubsonicExtensions?f=json"));
    assertThat(answer.getJsonArray("openSubsonicExtensions").stream().map(e -> ((JsonObject) e).getString("name")))
        // transcodeOffset: ffmpeg is on this machine's PATH (.ci/run installs it).
        .containsExactlyInAnyOrder("formPost", "apiKeyAuthentication", "transcodeOffset");
    assertThat(errorCode(new ApiClient(node).get("/rest/getLicense?f=json"))).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"subsonic_passwords", "outbox"})
  void theAppPasswordIsStoredSealedNeverInPlainText(String table) throws Exception {
    String column = table.equals("outbox") ? "event_type || ' ' || payload::text" : "sealed";
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(node.node().jdbcUrl(), "postgres", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT " + column + " FROM " + table)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    assertThat(rows).isNotEmpty();
    assertThat(String.join("\n", rows)).doesNotContain(ADMIN_APP_PASSWORD)
        .doesNotContain(java.util.HexFormat.of().formatHex(ADMIN_APP_PASSWORD.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(ADMIN_APP_PASSWORD.getBytes(StandardCharsets.UTF_8)));
    if (table.equals("outbox")) {
      assertThat(String.join("\n", rows)).contains("user.subsonic.password.set");
    }
  }
}
