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
    assertThat(blobs.commit(copied.tempFile(), copied.sha256(), copied.size())).isEqualTo(blobs.pathFor(ABC_SHA256));
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

  @Test
  void commitRefusesATempFileShorterThanWhatWasWritten() throws IOException {
    BlobStore.Intake intake = blobs.newIntake(".upload");
    intake.add(bytes("abc"), 0, 3);
    Files.write(intake.tempFile(), bytes("ab")); // the disk took two of the three bytes
    assertThatThrownBy(() -> blobs.commit(intake.tempFile(), intake.sha256(), intake.size()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cut short: 2 of 3 bytes");
    assertThat(blobs.contains(ABC_SHA256)).isFalse();
    assertThat(Files.exists(intake.tempFile())).as("temp file left").isFalse();
  }

  @Test
  void commitRefusesATempFileWhoseBytesAreNotWhatWasHashed() throws IOException {
    BlobStore.Intake intake = blobs.newIntake(".upload");
    intake.add(bytes("abc"), 0, 3);
    Files.write(intake.tempFile(), bytes("abd"));
    assertThatThrownBy(() -> blobs.commit(intake.tempFile(), intake.sha256(), intake.size()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not to what was written");
    assertThat(blobs.contains(ABC_SHA256)).isFalse();
  }

  @Test
  void aCopiedFileIsCommittedOnItsSizeWithoutBeingHashedAgain() throws IOException {
    BlobStore.Intake copied = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    // Bytes that are not what copyIn hashed, same size: a commit that re-hashed would refuse them.
    // copyIn's own writes are the check here, so commitCopied takes what it is told.
    Files.write(copied.tempFile(), bytes("abd"));
    assertThat(blobs.commitCopied(copied.tempFile(), copied.sha256(), copied.size())).isEqualTo(blobs.pathFor(ABC_SHA256));
    assertThat(blobs.contains(ABC_SHA256, 3)).isTrue();
    assertThat(blobs.blobCount()).isEqualTo(1);
    assertThat(Files.exists(copied.tempFile())).as("temp file left").isFalse();
  }

  @Test
  void anUnforcedCommitIsDurableOnlyOnceForcedAndAnyoneAskingForcesIt() throws IOException {
    BlobStore.Intake first = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    BlobStore.Intake second = blobs.copyIn(new ByteArrayInputStream(bytes("abcd")), ".test");
    String secondSha = second.sha256();
    blobs.commitCopiedUnforced(first.tempFile(), first.sha256(), first.size());
    blobs.commitCopiedUnforced(second.tempFile(), secondSha, second.size());
    assertThat(blobs.isUnforced(ABC_SHA256)).isTrue();
    assertThat(blobs.isUnforced(secondSha)).isTrue();

    blobs.force(java.util.List.of(ABC_SHA256));
    assertThat(blobs.isUnforced(ABC_SHA256)).isFalse();
    assertThat(blobs.isUnforced(secondSha)).as("another batch's blob").isTrue();
    // Whoever asks whether the blob is here (an upload of the same bytes, replication) learns of it only once it is durable.
    assertThat(blobs.contains(secondSha, 4)).isTrue();
    assertThat(blobs.isUnforced(secondSha)).isFalse();
    assertThat(blobs.blobCount()).isEqualTo(2);
  }

  @Test
  void askingForABlobThatIsNotThereForcesNothing() throws IOException {
    BlobStore.Intake batch = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    blobs.commitCopiedUnforced(batch.tempFile(), batch.sha256(), batch.size());
    // Same ab and cd directories as the unforced blob: a folder import's worker asks this of every new file.
    String neighbour = ABC_SHA256.substring(0, 4) + "0".repeat(60);
    assertThat(blobs.contains(neighbour, 3)).isFalse();
    assertThat(blobs.contains(neighbour)).isFalse();
    assertThat(blobs.isUnforced(ABC_SHA256)).as("the batch's blob still waits for its batch").isTrue();
    assertThat(blobs.contains(ABC_SHA256)).isTrue();
    assertThat(blobs.isUnforced(ABC_SHA256)).isFalse();
  }

  @Test
  void aCommitOfBytesAnUnforcedBatchAlreadyStoredForcesThemBeforeItReturns() throws IOException {
    BlobStore.Intake batch = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    blobs.commitCopiedUnforced(batch.tempFile(), batch.sha256(), batch.size());
    BlobStore.Intake upload = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    blobs.commitCopied(upload.tempFile(), upload.sha256(), upload.size());
    assertThat(blobs.isUnforced(ABC_SHA256)).isFalse();
    assertThat(Files.exists(upload.tempFile())).isFalse();
  }

  @Test
  void theFanOutDirectoriesAreMadeOnceAtOpenAndCountNoBlob() throws IOException {
    try (Stream<Path> dirs = Files.list(root.resolve("blobs"))) {
      assertThat(dirs.filter(Files::isDirectory).count()).isEqualTo(256);
    }
    assertThat(blobs.blobCount()).isZero();
    assertThat(new BlobStore(root).open().blobCount()).isZero();
  }

  @Test
  void aCopiedFileCutShortIsStillRefused() throws IOException {
    BlobStore.Intake copied = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    Files.write(copied.tempFile(), bytes("ab"));
    assertThatThrownBy(() -> blobs.commitCopied(copied.tempFile(), copied.sha256(), copied.size()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cut short: 2 of 3 bytes");
    assertThat(blobs.contains(ABC_SHA256)).isFalse();
    assertThat(Files.exists(copied.tempFile())).as("temp file left").isFalse();
  }

  @Test
  void aShortBlobIsNotContainedIsRemovedAndAnnouncedLost() throws IOException {
    java.util.List<String> lost = new java.util.ArrayList<>();
    blobs.onLost(lost::add);
    blobs.put(bytes("abc"));
    Files.write(blobs.pathFor(ABC_SHA256), bytes("ab"));
    assertThat(blobs.contains(ABC_SHA256, 3)).isFalse();
    assertThat(Files.exists(blobs.pathFor(ABC_SHA256))).isFalse();
    assertThat(lost).containsExactly(ABC_SHA256);
    assertThat(blobs.blobCount()).isZero();
  }

  @Test
  void aVerifiedCommitReplacesAShortBlobUnderTheSameName() throws IOException {
    blobs.put(bytes("abc"));
    Files.write(blobs.pathFor(ABC_SHA256), bytes("ab"));
    BlobStore.Intake copied = blobs.copyIn(new ByteArrayInputStream(bytes("abc")), ".test");
    blobs.commit(copied.tempFile(), copied.sha256(), copied.size());
    assertThat(Files.readString(blobs.pathFor(ABC_SHA256))).isEqualTo("abc");
    assertThat(blobs.blobCount()).isEqualTo(1);
  }

  @Test
  void aFullDiskIsA507AndOtherWriteFailuresA500() {
    assertThat(blobs.writeFailure("song.mp3", new IOException("No space left on device")))
        .satisfies(e -> assertThat(e.status).isEqualTo(507))
        .hasMessage("not enough disk space on this node to store song.mp3");
    assertThat(blobs.writeFailure("song.mp3", new IOException("Input/output error")))
        .satisfies(e -> assertThat(e.status).isEqualTo(500))
        .hasMessageContaining("could not write song.mp3").hasMessageContaining("Input/output error");
  }

  @Test
  void belowItsReserveTheStoreRefusesNewContentWith507() {
    BlobStore reserved = new BlobStore(root, Long.MAX_VALUE).open();
    assertThat(reserved.diskUsage().full()).isTrue();
    assertThatThrownBy(() -> reserved.requireRoomFor("an upload", -1))
        .isInstanceOf(io.dspot.bus.ServiceException.class).hasMessageStartingWith("not enough disk space on this node to store an upload (disk nearly full: ");
    assertThat(blobs.diskUsage().full()).as("no reserve").isFalse();
    blobs.requireRoomFor("an upload", 1024);
    assertThatThrownBy(() -> blobs.requireRoomFor("an upload", Long.MAX_VALUE / 2))
        .isInstanceOf(io.dspot.bus.ServiceException.class).hasMessageContaining("MB free, 0 MB kept in reserve)");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
