package io.dspot.streaming;

import io.dspot.streaming.MediaStreams.Transcode;
import io.dspot.bus.RateLimitedWarning;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg on this node: whether it is there (looked up once on the PATH at start-up) and how many
 * run at once (at most {@code maxTranscodes}; a stream asked past that gets the original file,
 * which every client plays, rather than an error).
 */
public final class Transcoder {

  private static final Logger log = LoggerFactory.getLogger(Transcoder.class);

  private final Path ffmpeg;
  private final int max;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean toldMissing = new AtomicBoolean();
  private final RateLimitedWarning busy = new RateLimitedWarning(log, Duration.ofMinutes(1));

  Transcoder(Path ffmpeg, int maxTranscodes) {
    this.ffmpeg = ffmpeg;
    this.max = maxTranscodes;
  }

  /** Looks for {@code ffmpeg} on the PATH: call from {@code main}, it reads the disk. */
  public static Transcoder onPath(int maxTranscodes) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "ffmpeg");
        if (Files.isExecutable(candidate)) {
          return new Transcoder(candidate, maxTranscodes);
        }
      }
    }
    return new Transcoder(null, maxTranscodes);
  }

  /** Whether this node can transcode at all (ffmpeg found, and maxTranscodes above 0). */
  public boolean available() {
    if (ffmpeg == null && toldMissing.compareAndSet(false, true)) {
      log.warn("ffmpeg is not on the PATH: Subsonic streams asked in another format or bitrate get the original file");
    }
    return ffmpeg != null && max > 0;
  }

  /** Takes one of the slots, or says (logged) that all are taken. */
  boolean acquire() {
    while (true) {
      int now = running.get();
      if (now >= max) {
        busy.warn("{} transcodes already running (subsonic.maxTranscodes): serving the original file instead", now);
        return false;
      }
      if (running.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    running.decrementAndGet();
  }

  List<String> command(Path input, Transcode t) {
    List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error"));
    if (t.offsetSeconds() > 0) {
      command.addAll(List.of("-ss", Integer.toString(t.offsetSeconds())));
    }
    command.addAll(List.of("-i", input.toString(), "-map", "0:a:0", "-vn", "-map_metadata", "-1"));
    command.addAll(t.output());
    return command;
  }
}
