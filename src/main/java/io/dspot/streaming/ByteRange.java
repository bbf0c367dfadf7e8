package io.dspot.streaming;

/** An inclusive span of bytes, already checked against the file size. */
record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
    }
  }

  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value for this range of a representation of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }
}
