package io.dspot.subsonic;

import static io.dspot.subsonic.SubsonicClient.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dspot.testkit.ApiClient;
import io.dspot.testkit.Await;
import io.dspot.testkit.BrowserScript;
import io.dspot.testkit.TaggedSongs;
import io.dspot.testkit.TestAudio;
import io.dspot.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stream's transcoding with the ffmpeg on this machine's PATH (.ci/run installs it), checked with
 * ffprobe: another format and a lower bitrate, a later start, an estimated length, the original
 * when nothing asks otherwise or every slot is taken, and no ffmpeg left once a client leaves.
 */
class SubsonicTranscodeTest {

  @TempDir
  static Path tmp;
  private static TestNode node;
  private static SubsonicClient app;
  private static Path toneFile;
  private static String tone;
  private static String longWav;
  private static byte[] longWavBytes;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.builder().set("DSPOT_SUBSONIC_MAX_TRANSCODES", "2").start();
    ApiClient admin = new ApiClient(node).asAdmin();
    toneFile = TaggedSongs.mp3(tmp.resolve("tone.mp3"), new TaggedSongs.Tags("Tone", "Mira Vale", "Lanterns", 1, 2019, "Folk", null));
    tone = "tr-" + admin.uploadSong(toneFile).getString("id");
    // 16 MB of 8 kHz mono: some 17 minutes, far more than the sockets between here and the node buffer.
    Path wav = TestAudio.wav(tmp.resolve("long.wav"), 16 * 1024 * 1024, 7);
    longWavBytes = Files.readAllBytes(wav);
    longWav = "tr-" + admin.uploadSong(wav).getString("id");
    JsonObject set = admin.put("/api/account/subsonic-password", new JsonObject().put("currentPassword", TestNode.ADMIN_PASSWORD)).json();
    app = new SubsonicClient(new ApiClient(node), "admin", set.getString("password"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static double probe(byte[] audio, String entry) throws Exception {
    Path file = Files.write(Files.createTempFile(tmp, "probe", ".bin"), audio);
    String out = BrowserScript.run(new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", entry, "-of", "default=nw=1:nk=1",
        file.toString()), 30);
    return Double.parseDouble(out.strip().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow());
  }

  private static List<ProcessHandle> ffmpegs() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false)).toList();
  }

  @Test
  void mp3AtALowerBitrateIsAnotherFileOfTheSameLength() throws Exception {
    byte[] original = Files.readAllBytes(toneFile);
    ApiClient.Reply mp3 = app.get("stream", "id=" + tone + "&format=mp3&maxBitRate=64");
    assertThat(mp3.status()).isEqualTo(200);
    assertThat(mp3.header("Content-Type")).isEqualTo("audio/mpeg");
    assertThat(mp3.header("Accept-Ranges")).isEqualTo("none");
    assertThat(mp3.body()).isNotEqualTo(original);
    assertThat(mp3.body().length).isLessThan(original.length);
    assertThat(probe(mp3.body(), "format=duration")).isCloseTo(probe(original, "format=duration"), within(0.3));
    assertThat(probe(mp3.body(), "format=bit_rate")).isCloseTo(64_000, within(8_000.0));

    // A Range is not honoured on a transcoded stream: the whole of it, 200.
    ApiClient.Reply ranged = new ApiClient(node).get("/rest/stream?" + app.query("id=" + tone + "&format=mp3&maxBitRate=64"), "Range", "bytes=0-99");
    assertThat(ranged.status()).isEqualTo(200);
    assertThat(ranged.body().length).isGreaterThan(100);
  }

  @Test
  void opusIsAnOggStreamAndTimeOffsetStartsLater() throws Exception {
    ApiClient.Reply opus = app.get("stream", "id=" + tone + "&format=opus");
    assertThat(opus.header("Content-Type")).isEqualTo("audio/ogg");
    String codec = BrowserScript.run(new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name",
        "-of", "default=nw=1:nk=1", Files.write(tmp.resolve("probe.opus"), opus.body()).toString()), 30);
    assertThat(codec.strip()).isEqualTo("opus");
    ApiClient.Reply later = app.get("stream", "id=" + tone + "&format=mp3&maxBitRate=64&timeOffset=2");
    double whole = probe(Files.readAllBytes(toneFile), "format=duration");
    assertThat(probe(later.body(), "format=duration")).isCloseTo(whole - 2, within(0.3));
  }

  @Test
  void anEstimatedLengthIsBitrateTimesDurationAndTheBodyIsExactlyThat() {
    ApiClient.Reply estimated = app.get("stream", "id=" + tone + "&format=mp3&maxBitRate=64&estimateContentLength=true");
    assertThat(estimated.status()).isEqualTo(200);
    long announced = Long.parseLong(estimated.header("Content-Length"));
    // 64 kbps × the catalog's 4.05 s.
    assertThat(announced).isBetween(32_000L, 33_000L);
    assertThat(estimated.body().length).isEqualTo((int) announced);
  }

  @Test
  void theOriginalIsServedWhenNothingAsksForTranscoding() throws Exception {
    byte[] original = Files.readAllBytes(toneFile);
    for (String params : List.of("", "&format=raw", "&maxBitRate=320", "&format=mp3", "&format=flac", "&maxBitRate=0")) {
      ApiClient.Reply reply = app.get("stream", "id=" + tone + params);
      assertThat(reply.body()).as(params).isEqualTo(original);
    }
    assertThat(SubsonicClient.errorCode(app.json("stream", "id=" + tone + "&maxBitRate=fast"))).isZero();
    assertThat(SubsonicClient.errorCode(app.json("stream", "id=" + tone + "&timeOffset=-3"))).isZero();
    assertThat(SubsonicClient.errorCode(app.json("stream", "id=al-00000000-0000-0000-0000-000000000000&format=mp3"))).isEqualTo(70);
    assertThat(response(app.json("getOpenSubsonicExtensions", "")).getJsonArray("openSubsonicExtensions").stream()
        .map(e -> ((JsonObject) e).getString("name")).toList()).contains("transcodeOffset");
  }

  /**
   * Two stalled listeners hold both transcode slots (their ffmpeg waits on its pipe: back-pressure);
   * a third gets the original file; once they leave, no ffmpeg is left running.
   */
  @Test
  void stalledListenersHoldTheSlotsAndLeavingKillsTheirFfmpeg() throws Exception {
    ApiClient http = new ApiClient(node);
    List<InputStream> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        InputStream in = http.openStream("/rest/stream?" + app.query("id=" + longWav + "&format=mp3&maxBitRate=64"));
        assertThat(in.readNBytes(16 * 1024)).hasSize(16 * 1024);
        stalled.add(in);
      }
      Await.within(Duration.ofSeconds(10)).until("two ffmpeg processes", () -> ffmpegs().size() == 2);
      Thread.sleep(1_000);
      assertThat(ffmpegs()).as("ffmpeg waits for the stalled listeners rather than finishing").hasSize(2);
      ApiClient.Reply third = app.get("stream", "id=" + longWav + "&format=mp3&maxBitRate=64");
      assertThat(third.header("Content-Type")).isNotEqualTo("audio/mpeg");
      assertThat(third.body()).as("the original, every slot being taken").isEqualTo(longWavBytes);
    } finally {
      for (InputStream in : stalled) {
        in.close();
      }
    }
    Await.within(Duration.ofSeconds(15)).until("no ffmpeg left once the listeners left", () -> ffmpegs().isEmpty());
    // The slots are free again.
    ApiClient.Reply again = app.get("stream", "id=" + tone + "&format=mp3&maxBitRate=64");
    assertThat(again.header("Content-Type")).isEqualTo("audio/mpeg");
  }
}
