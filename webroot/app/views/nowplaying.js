// Now playing (#/now-playing): a big cover, the track with links to its artist and album, the seek
// bar, every control, and the queue (reorderable). On a phone it is the player screen: the bar
// there is compact and a tap on it opens this view (main.js).
import { h, icon, cover, fmtTime } from '../dom.js';
import { app, routes, go } from '../state.js';
import { albumMeta } from '../player.js';
import { emptyState } from '../ui.js';
import { showBuffering } from '../controls.js';
import { queueList } from '../queuelist.js';
import { nowPlayingMarks } from '../userlib.js';

const button = (label, testid, iconName, onclick, cls = 'icon-btn icon-btn-lg') =>
  h('button', { class: cls, type: 'button', title: label, 'aria-label': label, 'data-testid': testid, onclick }, icon(iconName));

export function nowPlayingView(root, params, ctx) {
  const p = app.player;
  const art = h('div', { class: 'np-art' });
  const title = h('h1', { class: 'np-title', 'data-testid': 'np-title', tabindex: '-1' });
  const artist = h('a', { class: 'np-artist link', 'data-testid': 'np-artist' });
  const album = h('a', { class: 'np-album link', 'data-testid': 'np-album' });
  const elapsed = h('span', { class: 'time', 'data-testid': 'np-elapsed' }, '0:00');
  const total = h('span', { class: 'time', 'data-testid': 'np-total' }, '0:00');
  const seek = h('input', { class: 'range seek', type: 'range', min: '0', max: '0', step: '0.1', value: '0', 'aria-label': 'Seek', 'data-testid': 'np-seek' });
  const volume = h('input', { class: 'range volume', type: 'range', min: '0', max: '1', step: '0.01', 'aria-label': 'Volume', 'data-testid': 'np-volume' });
  const playBtn = h('button', { class: 'play-btn np-play', type: 'button', 'aria-label': 'Play', 'data-testid': 'np-play', onclick: () => p.toggle() }, icon('play', 'i-play'), icon('pause', 'i-pause'));
  const bufferText = h('span', { class: 'visually-hidden', role: 'status' });
  const shuffle = button('Shuffle', 'np-shuffle', 'shuffle', () => p.toggleShuffle(), 'icon-btn icon-btn-lg toggle');
  const repeat = button('Repeat', 'np-repeat', 'repeat', () => p.cycleRepeat(), 'icon-btn icon-btn-lg toggle');
  const repeatOne = h('span', { class: 'repeat-one' }, '1');
  repeat.append(repeatOne);
  const mute = button('Mute', 'np-mute', 'volume', () => p.toggleMute());
  const queue = queueList(p, 'np-queue');
  const marks = nowPlayingMarks(); // star and rating: on a phone, the only place they show
  let dragging = false;
  let artFor;

  const setFill = (el, frac) => el.style.setProperty('--p', (Math.max(0, Math.min(1, frac || 0)) * 100).toFixed(2) + '%');
  seek.addEventListener('input', () => { dragging = true; elapsed.textContent = fmtTime(parseFloat(seek.value)); });
  seek.addEventListener('change', () => { p.seek(parseFloat(seek.value)); dragging = false; });
  volume.addEventListener('input', () => p.setVolume(parseFloat(volume.value)));

  const link = (a, text, href) => { a.textContent = text; if (href) a.href = href; else a.removeAttribute('href'); };
  function track() {
    const s = p.current;
    if (!s) return;
    title.textContent = s.title || 'Untitled';
    marks.show(s);
    link(artist, s.artist || 'Unknown artist', s.artistId && routes.artist(s.artistId));
    link(album, s.album || 'Unknown album', s.albumId && routes.album(s.albumId));
    if (artFor !== s.albumId) {
      artFor = s.albumId;
      art.replaceChildren(cover({ albumId: s.albumId, title: s.album }, 'cover'));
      albumMeta(s.albumId).then((a) => { if (a && artFor === s.albumId) art.replaceChildren(cover(a, 'cover')); });
    }
  }
  function state() {
    const playing = p.active;
    root.classList.toggle('is-playing', playing);
    playBtn.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    playBtn.dataset.state = playing ? 'playing' : 'paused';
    showBuffering(playBtn, bufferText, p.buffering);
  }
  function time() {
    const a = p.audio;
    const d = Number.isFinite(a.duration) ? a.duration : (p.current && p.current.duration) || 0;
    seek.max = String(d || 0);
    total.textContent = fmtTime(d);
    if (dragging) return;
    seek.value = String(p.time);
    elapsed.textContent = fmtTime(p.time);
    setFill(seek, d ? p.time / d : 0);
  }
  function vol() {
    const a = p.audio;
    const v = a.muted ? 0 : a.volume;
    volume.value = String(v);
    setFill(volume, v);
    mute.replaceChildren(icon(v === 0 ? 'mute' : v < 0.5 ? 'volumeLow' : 'volume'));
    mute.setAttribute('aria-label', a.muted ? 'Unmute' : 'Mute');
    mute.setAttribute('aria-pressed', String(a.muted));
  }
  function mode() {
    shuffle.setAttribute('aria-pressed', String(p.shuffle));
    shuffle.classList.toggle('active', p.shuffle);
    repeat.setAttribute('aria-pressed', String(p.repeat !== 'off'));
    repeat.classList.toggle('active', p.repeat !== 'off');
    repeat.dataset.mode = p.repeat;
    repeat.title = 'Repeat: ' + p.repeat;
    repeat.setAttribute('aria-label', 'Repeat: ' + p.repeat);
    repeatOne.hidden = p.repeat !== 'one';
  }

  const showTrack = () => {
    if (!p.current) { go('#/now-playing'); return; } // the queue was emptied: say so
    track();
    queue.render();
  };
  const handlers = { track: showTrack, state, time, volume: vol, mode, queue: () => queue.render() };
  if (!p.current) {
    // Something starts playing (another tab's queue restored, a keyboard shortcut): show it.
    p.addEventListener('track', () => { if (ctx.alive() && p.current) go('#/now-playing'); }, { once: true });
    root.append(emptyState('song', 'Nothing playing', 'Pick an album or a song to play.'));
    return;
  }
  // The view goes away with the next navigation: its listeners go with it.
  const listening = new AbortController();
  for (const [type, fn] of Object.entries(handlers)) {
    p.addEventListener(type, () => { if (ctx.alive()) fn(); else listening.abort(); }, { signal: listening.signal });
  }

  root.classList.add('now-playing');
  root.setAttribute('data-testid', 'now-playing');
  root.append(
    h('section', { class: 'np-main' },
      art,
      h('div', { class: 'np-info' }, title, h('div', { class: 'np-sub' }, artist, h('span', { 'aria-hidden': 'true' }, ' · '), album),
        h('div', { class: 'np-marks' }, marks.el)),
      h('div', { class: 'seekbar np-seekbar' }, elapsed, seek, total),
      h('div', { class: 'np-buttons' },
        shuffle, button('Previous', 'np-prev', 'prev', () => p.prev()), playBtn, button('Next', 'np-next', 'next', () => p.next()), repeat),
      h('div', { class: 'np-volume' }, mute, volume),
      bufferText),
    h('section', { class: 'np-queue', 'aria-labelledby': 'np-queue-title' }, h('h2', { id: 'np-queue-title' }, 'Queue'), queue.el));
  track(); state(); time(); vol(); mode(); queue.render();
}
