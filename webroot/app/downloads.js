// Downloads (a song's original file, an album as a zip) and the song details rows do not show.
import { h } from './dom.js';

export function songDownloadUrl(id) { return '/api/songs/' + encodeURIComponent(id) + '/download'; }
export function albumDownloadUrl(id) { return '/api/albums/' + encodeURIComponent(id) + '/download'; }

// Starts a download the way a link with `download` does: the session cookie goes with it.
export function download(url) {
  const a = h('a', { href: url, download: '', hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
}

// "MP3 · 320 kbps · Jazz · 1997": what the row does not show of a song.
export function songDetails(song) {
  return [song.codec || null, song.bitrate ? song.bitrate + ' kbps' : null, song.genre, song.year]
    .filter((x) => x != null && x !== '').join(' · ');
}
