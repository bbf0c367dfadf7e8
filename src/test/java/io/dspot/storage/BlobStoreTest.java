package io.dspot.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  /** SHA-256 of the ASCII bytes "abc" (FIPS 180-2, appendix B.1). */
  private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path root;
  private BlobStore blobs;

  @BeforeEach
  void open() {
    blobs = new BlobStore(root).open();
  }

  @Test
  void copyInHashesAndCountsWhatItWrites() throws IOException {
    BlobStore.Intake copied = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    assertThat(copied.sha256()).isEqualTo(ABC_SHA256);
    assertThat(copied.size()).isEqualTo(3);
    assertThat(Files.readString(copied.tempFile())).isEqualTo("abc");
    assertThat(blobs.isTempFile(copied.tempFile())).isTrue();
    assertThat(blobs.commit(copied.tempFile(), copied.sha256())).isEqualTo(blobs.pathFor(ABC_SHA256));
    assertThat(blobs.contains(ABC_SHA256)).isTrue();
  }

  @Test
  void intakeHashesChunksTheCallerWroteItself() {
    BlobStore.Intake intake = blobs.newIntake(".upload");
    byte[] chunk = bytes("xabcx");
    intake.add(chunk, 1, 1);
    intake.add(chunk, 2, 2);
    assertThat(intake.size()).isEqualTo(3);
    assertThat(intake.sha256()).isEqualTo(ABC_SHA256).isEqualTo(intake.sha256());
    assertThatThrownBy(() -> intake.add(chunk, 0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void failedCopyLeavesNoTempFile() throws IOException {
    InputStream broken = new FilterInputStream(new ByteArrayInputStream(bytes("abc"))) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk said no");
      }
    };
    assertThatThrownBy(() -> blobs.copyIn(broken, ".test")).isInstanceOf(UncheckedIOException.class);
    try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void onlyFilesInTheTempAreaAreTempFiles() {
    assertThat(blobs.isTempFile(root.resolve("tmp").resolve("x.upload"))).isTrue();
    assertThat(blobs.isTempFile(root.resolve("tmp").resolve("../blobs/x"))).isFalse();
    assertThat(blobs.isTempFile(root.resolve("tmp"))).isFalse();
    assertThat(blobs.isTempFile(root.resolve("elsewhere"))).isFalse();
  }

  @Test
  void putStoresSmallContentUnderItsHash() {
    assertThat(blobs.put(bytes("abc"))).isEqualTo(ABC_SHA256);
    assertThat(blobs.contains(ABC_SHA256)).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
