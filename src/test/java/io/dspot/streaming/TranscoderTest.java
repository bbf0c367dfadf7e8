package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dspot.streaming.MediaStreams.Transcode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The transcode slots and ffmpeg's arguments, without running it. */
class TranscoderTest {

  @Test
  void withoutFfmpegOrSlotsNothingIsTranscoded() {
    assertThat(new Transcoder(null, 2).available()).isFalse();
    assertThat(new Transcoder(Path.of("/usr/bin/ffmpeg"), 0).available()).isFalse();
    assertThat(new Transcoder(Path.of("/usr/bin/ffmpeg"), 2).available()).isTrue();
  }

  @Test
  void atMostMaxTranscodesRunAndAReleasedSlotIsTakenAgain() {
    Transcoder transcoder = new Transcoder(Path.of("/usr/bin/ffmpeg"), 2);
    assertThat(transcoder.acquire()).isTrue();
    assertThat(transcoder.acquire()).isTrue();
    assertThat(transcoder.acquire()).isFalse();
    transcoder.release();
    assertThat(transcoder.acquire()).isTrue();
  }

  @Test
  void theCommandStartsLaterForAnOffsetAndEncodesTheAskedFormat() {
    Transcoder transcoder = new Transcoder(Path.of("/usr/bin/ffmpeg"), 2);
    assertThat(String.join(" ", transcoder.command(Path.of("/blobs/ab"), new Transcode("mp3", 64, 30, false))))
        .contains("-ss 30 -i /blobs/ab").contains("-c:a libmp3lame -b:a 64k -f mp3 pipe:1");
    assertThat(String.join(" ", transcoder.command(Path.of("/blobs/ab"), new Transcode("opus", 96, 0, false))))
        .doesNotContain("-ss").contains("-c:a libopus -b:a 96k -f ogg pipe:1");
  }
}
