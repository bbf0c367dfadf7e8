#!/usr/bin/env python3
"""Writes N small MP3s with distinct ID3v2.3 tags (title, artist, album, track, year, genre) into DIR.

Every file is the same few MPEG frames (BASE, made once by ffmpeg) behind its own tag, so every
file has its own bytes (its own SHA-256) and its own catalog row; 10 songs per album, 5 albums
per artist. Usage: import-library.py BASE.mp3 DIR N [FIRST]  (FIRST: the first song number, default 0; a library
numbered from elsewhere shares no tag and no file hash with this one)
"""
import os
import struct
import sys

GENRES = ["Rock", "Jazz", "Pop", "Folk", "Ambient", "Blues", "Soul", "Metal"]


def frame(frame_id, text):
    body = b"\x03" + text.encode("utf-8")  # encoding 3 = UTF-8
    return frame_id.encode("ascii") + struct.pack(">I", len(body)) + b"\x00\x00" + body


def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def tag(i):
    artist, album, track = i // 50, i // 10, i % 10 + 1
    frames = b"".join([
        frame("TIT2", f"Song {i:06d}"),
        frame("TPE1", f"Bench Artist {artist:05d}"),
        frame("TALB", f"Bench Album {album:05d}"),
        frame("TRCK", str(track)),
        frame("TYER", str(1960 + album % 60)),
        frame("TCON", GENRES[album % len(GENRES)]),
    ])
    return b"ID3\x03\x00\x00" + syncsafe(len(frames)) + frames


def main():
    base, target, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    with open(base, "rb") as f:
        audio = f.read()
    os.makedirs(target, exist_ok=True)
    for i in range(first, first + n):
        folder = os.path.join(target, f"artist-{i // 50:05d}", f"album-{i // 10:05d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{i % 10 + 1:02d} song-{i:06d}.mp3"), "wb") as f:
            f.write(tag(i) + audio)


if __name__ == "__main__":
    main()
