package io.dspot.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestTest {

  private static final long SIZE = 10_000;

  private static List<ByteRange> rangesOf(String header) {
    RangeRequest parsed = RangeRequest.parse(header, SIZE);
    assertThat(parsed).isInstanceOf(RangeRequest.Satisfiable.class);
    return ((RangeRequest.Satisfiable) parsed).ranges();
  }

  private static ByteRange range(long first, long last) {
    return new ByteRange(first, last);
  }

  @Test
  void missingHeaderIsAbsent() {
    assertThat(RangeRequest.parse(null, SIZE)).isInstanceOf(RangeRequest.Absent.class);
  }

  @Test
  void closedRangeIsInclusive() {
    assertThat(rangesOf("bytes=0-0")).containsExactly(range(0, 0));
    assertThat(rangesOf("bytes=0-0").get(0).length()).isEqualTo(1);
    assertThat(rangesOf("bytes=100-199")).containsExactly(range(100, 199));
  }

  @Test
  void openRangeRunsToTheEnd() {
    assertThat(rangesOf("bytes=0-")).containsExactly(range(0, 9_999));
    assertThat(rangesOf("bytes=9999-")).containsExactly(range(9_999, 9_999));
  }

  @Test
  void suffixRangeSelectsTheLastBytes() {
    assertThat(rangesOf("bytes=-1")).containsExactly(range(9_999, 9_999));
    assertThat(rangesOf("bytes=-10000")).containsExactly(range(0, 9_999));
  }

  @Test
  void suffixRangeLongerThanFileServesWholeFile() {
    assertThat(rangesOf("bytes=-20000")).containsExactly(range(0, 9_999));
  }

  @Test
  void lastPositionPastTheEndIsClamped() {
    assertThat(rangesOf("bytes=500-99999")).containsExactly(range(500, 9_999));
  }

  @Test
  void overflowingLastPositionIsClampedToTheEnd() {
    assertThat(rangesOf("bytes=0-18446744073709551616")).containsExactly(range(0, 9_999));
    assertThat(rangesOf("bytes=5-99999999999999999999999999999999999999")).containsExactly(range(5, 9_999));
  }

  @Test
  void overflowingSuffixLengthServesWholeFile() {
    assertThat(rangesOf("bytes=-18446744073709551616")).containsExactly(range(0, 9_999));
  }

  @Test
  void overflowingFirstPositionIsUnsatisfiable() {
    assertThat(RangeRequest.parse("bytes=18446744073709551616-", SIZE)).isInstanceOf(RangeRequest.Unsatisfiable.class);
    assertThat(RangeRequest.parse("bytes=99999999999999999999-", SIZE)).isInstanceOf(RangeRequest.Unsatisfiable.class);
  }

  @Test
  void twoOverflowingNumbersStillCompareInOrder() {
    assertThat(RangeRequest.parse("bytes=18446744073709551617-18446744073709551616", SIZE))
        .isInstanceOf(RangeRequest.Ignored.class);
    assertThat(RangeRequest.parse("bytes=18446744073709551616-18446744073709551617", SIZE))
        .isInstanceOf(RangeRequest.Unsatisfiable.class);
  }

  @Test
  void leadingZerosAreDecimalNotOctal() {
    assertThat(rangesOf("bytes=010-0020")).containsExactly(range(10, 20));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=10000-", "bytes=10000-20000", "bytes=-0", "bytes=-00", "bytes=10000-,-0"})
  void rangesOutsideTheFileAreUnsatisfiable(String header) {
    assertThat(RangeRequest.parse(header, SIZE)).isInstanceOf(RangeRequest.Unsatisfiable.class);
  }

  @Test
  void oneSatisfiableRangeAmongUnsatisfiableOnesIsServed() {
    assertThat(rangesOf("bytes=20000-30000,0-1")).containsExactly(range(0, 1));
  }

  @Test
  void emptyFileSatisfiesNothing() {
    assertThat(RangeRequest.parse("bytes=0-", 0)).isInstanceOf(RangeRequest.Unsatisfiable.class);
    assertThat(RangeRequest.parse("bytes=-5", 0)).isInstanceOf(RangeRequest.Unsatisfiable.class);
  }

  @Test
  void unitIsCaseInsensitiveAndWhitespaceAroundElementsIsAllowed() {
    assertThat(rangesOf("BYTES=0-1")).containsExactly(range(0, 1));
    assertThat(rangesOf("Bytes=0-1")).containsExactly(range(0, 1));
    assertThat(rangesOf("bytes= 0-1")).containsExactly(range(0, 1));
    assertThat(rangesOf("bytes=0-1 ,\t5-6 ")).containsExactly(range(0, 1), range(5, 6));
  }

  @Test
  void emptyListElementsAreSkipped() {
    assertThat(rangesOf("bytes=,0-1,,5-6,")).containsExactly(range(0, 1), range(5, 6));
  }

  @Test
  void disjointRangesStaySeparateAndSorted() {
    assertThat(rangesOf("bytes=5-6,0-1")).containsExactly(range(0, 1), range(5, 6));
  }

  @Test
  void overlappingAndAdjacentRangesAreCoalesced() {
    assertThat(rangesOf("bytes=0-5,3-9")).containsExactly(range(0, 9));
    assertThat(rangesOf("bytes=0-4,5-9")).containsExactly(range(0, 9));
    assertThat(rangesOf("bytes=0-,-100,500-600")).containsExactly(range(0, 9_999));
    assertThat(rangesOf("bytes=10-20,0-100,200-300")).containsExactly(range(0, 100), range(200, 300));
  }

  @Test
  void sixteenRangesAreAllowed() {
    String header = "bytes=" + String.join(",", Stream.iterate(0, i -> i + 10).limit(16).map(i -> i + "-" + i).toList());
    assertThat(rangesOf(header)).hasSize(16);
  }

  @Test
  void moreThanSixteenRangesAreIgnored() {
    String header = "bytes=" + String.join(",", Stream.iterate(0, i -> i + 10).limit(17).map(i -> i + "-" + i).toList());
    assertThat(RangeRequest.parse(header, SIZE)).isInstanceOf(RangeRequest.Ignored.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "items=0-1", "bytes", "bytes=", "bytes=,", "bytes= , ", "bytes=abc", "bytes=5-2", "bytes=0-1,5-2",
      "bytes=-", "bytes=--1", "bytes=1-2-3", "bytes=0 - 1", "bytes=+1-2", "bytes=1-+2", "bytes=0x10-20",
      "bytes=1.5-2", "bytes=-1-", "bytes==0-1", "bytes =0-1", "=0-1", "bytes=\u0661-\u0662", "bytes=0-1;q=1",
      "bytes=0-1,abc"})
  void malformedHeadersAreIgnored(String header) {
    assertThat(RangeRequest.parse(header, SIZE)).isInstanceOf(RangeRequest.Ignored.class);
  }

  static Stream<String> hostileHeaders() {
    return Stream.of("", " ", "=", "-", ",", "bytes=-9223372036854775808", "bytes=9223372036854775807-",
        "bytes=9223372036854775807-9223372036854775807", "bytes=-9223372036854775807", "bytes=0-9223372036854775807",
        "bytes=9223372036854775806-9223372036854775807", "bytes=0-" + "9".repeat(5000), "bytes=" + "1-2,".repeat(5000),
        "bytes=" + ",".repeat(10000), "bytes=\0-\0", "bytes=\r\n0-1", "bytes=0-1\u0000", "bytes=\uD800-1",
        "bytes=0-1,18446744073709551616-", "bytes=-0,-0", "BYTES=-0", "bytes=00000000000000000000000000-0",
        "bytes=0-0,0-0,0-0", "\u00e9=1-2", "bytes=\uFF10-\uFF11", "multipart=1-2", "bytes=1-2 3-4");
  }

  @ParameterizedTest
  @MethodSource("hostileHeaders")
  void hostileHeadersNeverThrow(String header) {
    for (long size : new long[] {0, 1, SIZE, Long.MAX_VALUE}) {
      assertThatCode(() -> RangeRequest.parse(header, size)).doesNotThrowAnyException();
    }
  }

  @Test
  void hugeFileKeepsExactPositions() {
    RangeRequest parsed = RangeRequest.parse("bytes=9223372036854775806-", Long.MAX_VALUE);
    assertThat(((RangeRequest.Satisfiable) parsed).ranges())
        .containsExactly(range(9_223_372_036_854_775_806L, 9_223_372_036_854_775_806L));
  }
}
