// Entry point: login, app shell, router, player bar, queue panel, shortcuts.
import { h, icon, cover, fmtTime, debounce, keyBelongsTo, gradientFor } from './dom.js';
import { api, setUnauthorizedHandler, setUnreachableHandler } from './api.js';
import { app, routes, go } from './state.js';
import { Player, albumMeta, forgetAlbums } from './player.js';
import { Reconnector } from './reconnect.js';
import { PlayState } from './playstate.js';
import { SharedQueue } from './sharedqueue.js';
import { linkTabs } from './tabs.js';
import { toast, markCurrentRows, refreshPlaylists, newPlaylistWith, errorMessage } from './ui.js';
import { installUploads, pickFiles } from './upload.js';
import { showBuffering } from './controls.js';
import { queueList } from './queuelist.js';
import { albumsView, artistsView, songsView, artistView, albumView } from './views/library.js';
import { searchView } from './views/search.js';
import { genresView, genreView, yearsView, yearView, decadeView } from './views/browse.js';
import { playlistsView, playlistView } from './views/playlists.js';
import { adminView } from './views/admin.js';
import { accountView } from './views/account.js';
import { clusterView } from './views/cluster.js';
import { nowPlayingView } from './views/nowplaying.js';
import { homeView } from './views/home.js';
import { favouritesView } from './views/favourites.js';
import { historyView } from './views/history.js';
import { nowPlayingMarks, recordPlay } from './userlib.js';
import { scrobbleFor } from './scrobble.js';
import { focusViewHeading } from './focus.js';
import { themeToggle } from './theme.js';
import { skipLink } from './skiplink.js';
import { drawerButton } from './drawer.js';
import './tables.js';

const root = document.getElementById('app');
// One reconnector for streams and API calls: asks /api/auth/me, which also tells an ended session.
const connection = new Reconnector((signal) => api.me({ signal }).then(() => 'ok', (e) => {
  if (e.status === 401) return 'ended';
  return e.status === 0 || e.status >= 500 ? 'unreachable' : 'ok';
}));
// A call that finds the server gone starts the retry (once it gave up, only Retry or Play does: see reconnect.js).
setUnreachableHandler(() => { if (shell) connection.start(); });
const player = new Player(document.getElementById('audio'), connection);
app.player = player;
const playState = new PlayState(player);
const sharedQueue = new SharedQueue(player);
scrobbleFor(player, recordPlay);

let shell = null; // elements of the app shell while logged in
linkTabs(player, () => !!shell);
let renderToken = 0;

// ---------------------------------------------------------------- login
function showLogin(message) {
  shell = null;
  renderToken++;
  document.body.classList.remove('logged-in');
  document.title = 'Sign in · Distributed Spotify';
  const err = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'login-error' }, message || '');
  const user = h('input', { class: 'input', id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true, 'data-testid': 'login-username' });
  const pass = h('input', { class: 'input', id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const btn = h('button', { class: 'btn btn-primary btn-block', type: 'submit', 'data-testid': 'login-submit' }, 'Log in');
  const form = h('form', { class: 'login-form', 'data-testid': 'login-form', onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    btn.disabled = true; btn.textContent = 'Logging in…';
    try {
      const res = await api.login(user.value.trim(), pass.value);
      app.user = (res && res.user) || (await api.me());
      startShell();
    } catch (ex) {
      err.textContent = errorMessage(ex);
      btn.disabled = false; btn.textContent = 'Log in';
      pass.select();
    }
  } },
  h('label', { class: 'field' }, h('span', null, 'Username'), user),
  h('label', { class: 'field' }, h('span', null, 'Password'), pass),
  err, btn);
  root.replaceChildren(h('main', { class: 'login', 'data-testid': 'login-screen' },
    h('div', { class: 'login-card' },
      h('div', { class: 'brand brand-lg' }, logo(), h('span', null, 'Distributed Spotify')),
      h('p', { class: 'login-sub' }, 'Your music, on your servers.'),
      form)));
  setTimeout(() => user.focus(), 0);
}

function logo() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('class', 'logo');
  svg.setAttribute('aria-hidden', 'true');
  const c = document.createElementNS(svg.namespaceURI, 'circle');
  c.setAttribute('cx', '16'); c.setAttribute('cy', '16'); c.setAttribute('r', '16'); c.setAttribute('fill', 'var(--accent)');
  svg.appendChild(c);
  for (const [y, w, o] of [[11, 16, 1], [16, 13, 0.85], [21, 10, 0.7]]) {
    const p = document.createElementNS(svg.namespaceURI, 'rect');
    p.setAttribute('x', String(16 - w / 2)); p.setAttribute('y', String(y - 1.4)); p.setAttribute('width', String(w));
    p.setAttribute('height', '2.8'); p.setAttribute('rx', '1.4'); p.setAttribute('fill', '#0b0b0b'); p.setAttribute('opacity', String(o));
    svg.appendChild(p);
  }
  return svg;
}

// The queue, the track and the position wait for the next login (playstate.js).
function sessionEnded() {
  playState.keep();
  sharedQueue.detach();
  player.stop();
  showLogin('Your session has ended. Please log in again.');
}

let unauthorizedShown = false;
setUnauthorizedHandler(() => {
  if (!shell || unauthorizedShown) return;
  unauthorizedShown = true;
  sessionEnded();
  setTimeout(() => { unauthorizedShown = false; }, 500);
});

async function logout() {
  try { await api.logout(); } catch { /* ignore */ }
  app.user = null;
  playState.forget();
  sharedQueue.detach();
  player.stop();
  showLogin();
}

// ---------------------------------------------------------------- shell
function navLink(hash, iconName, label, testid) {
  return h('a', { class: 'nav-link', href: hash, 'data-nav': hash, 'data-testid': testid }, icon(iconName), h('span', null, label));
}

function startShell() {
  document.body.classList.add('logged-in');
  const search = h('input', {
    class: 'search-input', type: 'search', placeholder: 'Search songs, artists, albums', 'aria-label': 'Search songs',
    'data-testid': 'search-input', id: 'search', autocomplete: 'off', spellcheck: 'false',
  });
  const content = h('main', { class: 'content', id: 'content', 'data-testid': 'content', tabindex: '-1' });
  const playlistNav = h('div', { class: 'nav-playlists', 'data-testid': 'sidebar-playlists' });
  const sidebar = h('aside', { class: 'sidebar', 'data-testid': 'sidebar' },
    h('a', { class: 'brand', href: '#/home' }, logo(), h('span', null, 'Distributed Spotify')),
    h('nav', { class: 'nav', 'aria-label': 'Library' },
      navLink('#/home', 'home', 'Home', 'nav-home'),
      navLink('#/albums', 'album', 'Albums', 'nav-albums'),
      navLink('#/artists', 'artist', 'Artists', 'nav-artists'),
      navLink('#/songs', 'song', 'Songs', 'nav-songs'),
      navLink('#/genres', 'genre', 'Genres', 'nav-genres'),
      navLink('#/years', 'year', 'Years', 'nav-years'),
      navLink('#/search/', 'search', 'Search', 'nav-search'),
      navLink('#/favourites', 'star', 'Favourites', 'nav-favourites'),
      navLink('#/history', 'clock', 'History', 'nav-history'),
      app.isAdmin ? h('button', { class: 'nav-link', type: 'button', 'data-testid': 'nav-upload', onclick: () => pickFiles() }, icon('upload'), h('span', null, 'Upload')) : null,
      app.isAdmin ? navLink('#/admin', 'admin', 'Admin', 'nav-admin') : null,
      app.isAdmin ? navLink('#/cluster', 'cluster', 'Cluster', 'nav-cluster') : null),
    h('div', { class: 'nav-section' },
      h('div', { class: 'nav-section-head' },
        h('a', { href: '#/playlists', 'data-nav': '#/playlists', class: 'nav-section-title', 'data-testid': 'nav-playlists' }, icon('playlist'), h('span', null, 'Playlists')),
        h('button', { class: 'icon-btn', type: 'button', title: 'New playlist', 'aria-label': 'New playlist', onclick: async () => {
          const pl = await newPlaylistWith([]); if (pl && pl.id) go(routes.playlist(pl.id));
        } }, icon('plus'))),
      playlistNav),
    h('div', { class: 'user-box' },
      h('div', { class: 'user-avatar', style: { backgroundImage: gradientFor(app.user.username) } }, (app.user.username || '?').slice(0, 1).toUpperCase()),
      h('div', { class: 'user-info' }, h('div', { class: 'user-name', 'data-testid': 'current-user' }, app.user.username), h('div', { class: 'user-role' }, app.user.role)),
      themeToggle(),
      h('a', { class: 'icon-btn', href: '#/account', title: 'Change password', 'aria-label': 'Change password', 'data-testid': 'nav-account' }, icon('key')),
      h('button', { class: 'icon-btn', type: 'button', title: 'Log out', 'aria-label': 'Log out', 'data-testid': 'logout', onclick: logout }, icon('logout'))));
  const scrim = h('div', { class: 'scrim', onclick: () => document.body.classList.remove('nav-open') });
  const topbar = h('header', { class: 'topbar' },
    drawerButton(sidebar),
    h('button', { class: 'icon-btn round', type: 'button', title: 'Back', 'aria-label': 'Back', onclick: () => history.back() }, icon('back')),
    h('label', { class: 'search' }, icon('search', 'search-icon'), search),
    h('div', { class: 'topbar-spacer' }),
    app.isAdmin ? h('button', { class: 'btn btn-ghost topbar-upload', type: 'button', 'aria-label': 'Upload', 'data-testid': 'upload-button', onclick: () => pickFiles() }, icon('upload'), h('span', null, 'Upload')) : null);
  const queuePanel = buildQueuePanel();
  const bar = buildPlayerBar(queuePanel);
  const shellEl = h('div', { class: 'shell', 'data-testid': 'app-shell' }, sidebar, scrim, h('div', { class: 'main-col' }, topbar, content), queuePanel.el, bar.el);
  root.replaceChildren(skipLink(content), shellEl);
  shell = { content, search, playlistNav, sidebar, bar, queuePanel };
  if (app.isAdmin) installUploads(shellEl);

  const doSearch = debounce(() => {
    const q = search.value.trim();
    const target = routes.search(q);
    if (location.hash.startsWith('#/search')) { history.replaceState(null, '', target); route(); }
    else location.hash = target;
  }, 200);
  search.addEventListener('input', doSearch);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { search.blur(); }
    if (e.key === 'Enter') { doSearch.cancel(); const q = search.value.trim(); history.replaceState(null, '', routes.search(q)); route(); }
  });

  playState.attach(app.user); // before route(): a bare URL opens the last view
  sharedQueue.attach(); // after it: offers another device's queue only when this one has none
  renderPlaylistNav();
  refreshPlaylists('load');
  bar.update();
  queuePanel.render();
  route();
}

function renderPlaylistNav() {
  if (!shell) return;
  const items = app.playlists.map((pl) => h('a', { class: 'nav-pl', href: routes.playlist(pl.id), 'data-nav': routes.playlist(pl.id), title: pl.name }, pl.name || 'Untitled'));
  shell.playlistNav.replaceChildren(...(items.length ? items : [h('div', { class: 'nav-empty' }, 'No playlists yet')]));
  highlightNav();
}
app.on('playlists-changed', (e) => {
  renderPlaylistNav();
  // Changed in another tab: a playlist page shown here is stale too.
  if (shell && e.detail && e.detail.cause === 'other-tab' && /^#\/playlists?(\/|$)/.test(location.hash)) route(true);
});
app.on('library-changed', () => {
  forgetAlbums();
  if (!shell) return;
  const hsh = location.hash || '#/albums';
  if (/^#\/(albums|artists|songs|search|album|artist)?/.test(hsh) && !hsh.startsWith('#/admin') && !hsh.startsWith('#/playlist')) route(true);
});

// ---------------------------------------------------------------- router
const ROUTES = [
  [/^#?\/?$/, homeView, '#/home'],
  [/^#\/home\/?$/, homeView, '#/home'],
  [/^#\/favourites\/?$/, favouritesView, '#/favourites'],
  [/^#\/history\/?$/, historyView, '#/history'],
  [/^#\/albums\/?$/, albumsView, '#/albums'],
  [/^#\/artists\/?$/, artistsView, '#/artists'],
  [/^#\/songs\/?(?:\?(.*))?$/, songsView, '#/songs'],
  [/^#\/genres\/?$/, genresView, '#/genres'],
  [/^#\/genre\/(.+)$/, genreView, '#/genres'],
  [/^#\/years\/?$/, yearsView, '#/years'],
  [/^#\/year\/(\d{1,4})$/, yearView, '#/years'],
  [/^#\/decade\/(\d{1,4})$/, decadeView, '#/years'],
  [/^#\/artist\/([^/]+)$/, artistView, '#/artists'],
  [/^#\/album\/([^/]+)$/, albumView, '#/albums'],
  [/^#\/search\/?(.*)$/, searchView, '#/search/'],
  [/^#\/playlists\/?$/, playlistsView, '#/playlists'],
  [/^#\/playlist\/([^/]+)$/, playlistView, null],
  [/^#\/admin\/?$/, adminView, '#/admin'],
  [/^#\/account\/?$/, accountView, null],
  [/^#\/cluster\/?$/, clusterView, '#/cluster'],
  [/^#\/now-playing\/?$/, nowPlayingView, null],
];

function dec(s) { try { return decodeURIComponent(s); } catch { return s; } }

function highlightNav() {
  if (!shell) return;
  const hsh = location.hash || '#/home';
  const match = ROUTES.find(([re]) => re.test(hsh));
  const active = match ? (match[2] || hsh) : '';
  shell.sidebar.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === active || a.dataset.nav === hsh));
}

function route(keepScroll = false) {
  if (!shell) return;
  const hsh = location.hash || '#/home';
  let view = homeView; let params = [];
  for (const [re, v] of ROUTES) {
    const m = hsh.match(re);
    if (m) { view = v; params = m.slice(1).map(dec); break; }
  }
  const token = ++renderToken;
  const ctx = { alive: () => token === renderToken && !!shell };
  // The first view after a (re)load keeps the browser's focus at the top, where the skip link is.
  const moveFocus = !keepScroll && shell.routed;
  shell.routed = true;
  const { content } = shell;
  const scroll = content.scrollTop;
  const page = h('div', { class: 'page' });
  content.replaceChildren(page);
  if (!keepScroll) content.scrollTop = 0;
  document.body.classList.remove('nav-open');
  if (view === searchView && document.activeElement !== shell.search) shell.search.value = params[0] || '';
  if (view !== searchView) shell.search.value = ''; // what was searched for belongs to the results
  highlightNav();
  Promise.resolve(view(page, params, ctx)).catch((e) => { if (ctx.alive()) page.replaceChildren(h('div', { class: 'error-box' }, errorMessage(e))); })
    .finally(() => { if (ctx.alive()) { markCurrentRows(); if (keepScroll) content.scrollTop = scroll; if (moveFocus) focusViewHeading(page, content); } });
  // Views that fill in asynchronously: mark rows once they appear too.
  setTimeout(() => { if (ctx.alive()) markCurrentRows(); }, 400);
}
window.addEventListener('hashchange', () => route());

// ---------------------------------------------------------------- player bar
function buildPlayerBar(queuePanel) {
  const art = h('a', { class: 'now-art', href: '#/now-playing', title: 'Now playing', 'aria-label': 'Now playing', 'data-testid': 'now-cover' });
  const title = h('a', { class: 'now-title', 'data-testid': 'now-title' });
  const artist = h('a', { class: 'now-artist', 'data-testid': 'now-artist' });
  const playBtn = h('button', { class: 'play-btn', type: 'button', title: 'Play (Space)', 'aria-label': 'Play', 'data-testid': 'play-button', onclick: () => player.toggle() }, icon('play', 'i-play'), icon('pause', 'i-pause'));
  const prevBtn = h('button', { class: 'icon-btn', type: 'button', title: 'Previous (Shift+←, P)', 'aria-label': 'Previous', 'data-testid': 'prev-button', onclick: () => player.prev() }, icon('prev'));
  const nextBtn = h('button', { class: 'icon-btn', type: 'button', title: 'Next (Shift+→, N)', 'aria-label': 'Next', 'data-testid': 'next-button', onclick: () => player.next() }, icon('next'));
  const shuffleBtn = h('button', { class: 'icon-btn toggle', type: 'button', title: 'Shuffle', 'aria-label': 'Shuffle', 'data-testid': 'shuffle-button', onclick: () => player.toggleShuffle() }, icon('shuffle'));
  const repeatBadge = h('span', { class: 'repeat-one' }, '1');
  const repeatBtn = h('button', { class: 'icon-btn toggle', type: 'button', title: 'Repeat', 'aria-label': 'Repeat', 'data-testid': 'repeat-button', onclick: () => player.cycleRepeat() }, icon('repeat'), repeatBadge);
  const elapsed = h('span', { class: 'time', 'data-testid': 'time-elapsed' }, '0:00');
  const total = h('span', { class: 'time', 'data-testid': 'time-total' }, '0:00');
  const seek = h('input', { class: 'range seek', type: 'range', min: '0', max: '0', step: '0.1', value: '0', 'aria-label': 'Seek', 'data-testid': 'seek-slider' });
  const muteBtn = h('button', { class: 'icon-btn', type: 'button', title: 'Mute (M)', 'aria-label': 'Mute', 'data-testid': 'mute-button', onclick: () => player.toggleMute() });
  const volume = h('input', { class: 'range volume', type: 'range', min: '0', max: '1', step: '0.01', 'aria-label': 'Volume', 'data-testid': 'volume-slider' });
  const marks = nowPlayingMarks();
  const queueBtn = h('button', { class: 'icon-btn toggle', type: 'button', title: 'Queue', 'aria-label': 'Queue', 'aria-expanded': 'false', 'aria-controls': 'queue-panel', 'data-testid': 'queue-button', onclick: () => queuePanel.toggle() }, icon('queue'));
  // Always in the DOM, so screen readers announce each change of its text.
  const connText = h('span', { role: 'status', 'aria-live': 'polite', 'data-testid': 'connection-status' });
  const retryBtn = h('button', { class: 'btn btn-sm', type: 'button', hidden: true, 'data-testid': 'connection-retry', onclick: () => player.retry() }, 'Retry');
  const connBanner = h('div', { class: 'conn-banner', 'data-testid': 'connection-banner', 'data-state': 'online' }, connText, retryBtn);
  const bufferText = h('span', { class: 'visually-hidden', role: 'status', 'data-testid': 'buffering-status' });

  let dragging = false;
  const setFill = (el, frac) => el.style.setProperty('--p', (Math.max(0, Math.min(1, frac || 0)) * 100).toFixed(2) + '%');
  seek.addEventListener('input', () => {
    dragging = true;
    elapsed.textContent = fmtTime(parseFloat(seek.value));
    setFill(seek, parseFloat(seek.value) / (parseFloat(seek.max) || 1));
  });
  seek.addEventListener('change', () => { player.seek(parseFloat(seek.value)); dragging = false; });
  seek.addEventListener('pointerup', () => { setTimeout(() => { dragging = false; }, 0); });
  volume.addEventListener('input', () => player.setVolume(parseFloat(volume.value)));

  const el = h('footer', { class: 'playerbar', 'data-testid': 'player-bar' },
    connBanner, bufferText,
    h('div', { class: 'now' }, art, h('div', { class: 'now-text' }, title, artist), marks.el),
    h('div', { class: 'transport' },
      h('div', { class: 'buttons' }, shuffleBtn, prevBtn, playBtn, nextBtn, repeatBtn),
      h('div', { class: 'seekbar' }, elapsed, seek, total)),
    h('div', { class: 'extras' }, queueBtn, muteBtn, volume));
  // On a phone the bar is the way to the player screen: a tap anywhere but on a control opens it.
  el.addEventListener('click', (e) => {
    if (!window.matchMedia('(max-width: 760px)').matches || e.target.closest('button, input, .conn-banner')) return;
    e.preventDefault();
    if (location.hash !== '#/now-playing') go('#/now-playing');
  });

  let artFor = null;
  function updateTrack() {
    const s = player.current;
    el.classList.toggle('is-empty', !s);
    marks.show(s);
    if (!s) {
      title.textContent = 'Nothing playing'; title.removeAttribute('href');
      artist.textContent = 'Pick an album or a song'; artist.removeAttribute('href');
      art.replaceChildren(h('div', { class: 'cover', style: { backgroundImage: gradientFor('none') } }, icon('song', 'cover-note')));
      artFor = null;
      document.title = 'Distributed Spotify';
      return;
    }
    title.textContent = s.title || 'Untitled';
    title.title = s.title || '';
    if (s.albumId) title.href = routes.album(s.albumId); else title.removeAttribute('href');
    artist.textContent = s.artist || 'Unknown artist';
    if (s.artistId) artist.href = routes.artist(s.artistId); else artist.removeAttribute('href');
    document.title = `${s.title || 'Untitled'} · ${s.artist || 'Unknown artist'}`;
    if (artFor !== s.albumId) {
      artFor = s.albumId;
      art.replaceChildren(cover({ albumId: s.albumId, title: s.album }, 'cover'));
      albumMeta(s.albumId).then((album) => {
        if (artFor !== s.albumId || !album) return;
        art.replaceChildren(cover(album, 'cover'));
      });
    }
  }
  function updateState() {
    const playing = player.active;
    el.classList.toggle('is-playing', playing);
    playBtn.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    playBtn.title = playing ? 'Pause (Space)' : 'Play (Space)';
    playBtn.dataset.state = playing ? 'playing' : 'paused';
    showBuffering(playBtn, bufferText, player.buffering);
    markCurrentRows();
  }
  function updateTime() {
    const { audio } = player; // the element that plays changes at each gapless hand-over
    const d = Number.isFinite(audio.duration) ? audio.duration : (player.current && player.current.duration) || 0;
    const t = player.time;
    seek.max = String(d || 0);
    total.textContent = fmtTime(d);
    if (!dragging) {
      seek.value = String(t);
      elapsed.textContent = fmtTime(t);
      setFill(seek, d ? t / d : 0);
    }
  }
  function updateVolume() {
    const { audio } = player;
    const v = audio.muted ? 0 : audio.volume;
    volume.value = String(v);
    setFill(volume, v);
    muteBtn.replaceChildren(icon(v === 0 ? 'mute' : v < 0.5 ? 'volumeLow' : 'volume'));
    muteBtn.setAttribute('aria-pressed', String(audio.muted));
    muteBtn.classList.toggle('active', audio.muted);
  }
  function updateMode() {
    shuffleBtn.classList.toggle('active', player.shuffle);
    shuffleBtn.setAttribute('aria-pressed', String(player.shuffle));
    repeatBtn.classList.toggle('active', player.repeat !== 'off');
    repeatBtn.dataset.mode = player.repeat;
    repeatBtn.title = 'Repeat: ' + player.repeat;
    repeatBtn.setAttribute('aria-label', 'Repeat: ' + player.repeat); // three states: off, all, one
    repeatBtn.setAttribute('aria-pressed', String(player.repeat !== 'off'));
    repeatBadge.hidden = player.repeat !== 'one';
  }
  function updateConnection() {
    const state = connection.state;
    connBanner.dataset.state = state;
    connText.textContent = state === 'reconnecting' ? 'Reconnecting…'
      : state === 'failed' ? 'Cannot reach the server. Playback stopped.' : '';
    retryBtn.hidden = state !== 'failed';
  }
  const update = () => { updateTrack(); updateState(); updateTime(); updateVolume(); updateMode(); updateConnection(); };
  return { el, update, updateTrack, updateState, updateTime, updateVolume, updateMode, updateConnection, queueBtn };
}

player.addEventListener('track', () => { if (shell) { shell.bar.updateTrack(); shell.queuePanel.render(); markCurrentRows(); } });
player.addEventListener('state', () => { if (shell) shell.bar.updateState(); });
player.addEventListener('time', () => { if (shell) shell.bar.updateTime(); });
player.addEventListener('volume', () => { if (shell) shell.bar.updateVolume(); });
player.addEventListener('mode', () => { if (shell) shell.bar.updateMode(); });
player.addEventListener('queue', () => { if (shell) shell.queuePanel.render(); });
player.addEventListener('error', () => {
  // Reloads kept failing while the server answered: the session ended (→ login) or the song is bad.
  api.me().then(() => toast('Cannot play this song', 'error')).catch((e) => {
    if (e.status === 401) { if (shell) sessionEnded(); return; }
    toast(`Cannot play this song: ${errorMessage(e)}`, 'error');
    if (e.status === 0 || e.status >= 500) connection.start();
  });
});
for (const state of ['reconnecting', 'online', 'failed']) {
  connection.addEventListener(state, () => {
    console.info(`connection: ${state}`); // in the browser test's output, to follow a recovery
    if (shell) shell.bar.updateConnection();
  });
}
connection.addEventListener('ended', () => { if (shell) sessionEnded(); });

// ---------------------------------------------------------------- queue panel
function buildQueuePanel() {
  const list = queueList(player);
  const el = h('aside', { class: 'queue-panel', id: 'queue-panel', 'data-testid': 'queue-panel', 'aria-label': 'Play queue', hidden: true },
    h('div', { class: 'queue-head' }, h('h2', null, 'Queue'),
      h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'queue-clear', onclick: () => { player.clear(); toast('Queue cleared'); } }, 'Clear'),
      h('button', { class: 'icon-btn', type: 'button', 'aria-label': 'Close queue', onclick: () => toggle(false) }, icon('close'))),
    list.el);
  function toggle(force) {
    const show = force ?? el.hidden;
    el.hidden = !show;
    document.body.classList.toggle('queue-open', show);
    if (shell) { shell.bar.queueBtn.classList.toggle('active', show); shell.bar.queueBtn.setAttribute('aria-expanded', String(show)); }
    if (show) render();
  }
  function render() {
    if (!el.hidden) list.render();
  }
  return { el, toggle, render };
}

// ---------------------------------------------------------------- keyboard
document.addEventListener('keydown', (e) => {
  if (!shell || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (document.querySelector('dialog[open]')) return;
  // Space presses a focused button, arrows move a focused slider, text fields take every key.
  if (keyBelongsTo(e.target, e.key)) return;
  const k = e.key;
  let handled = true;
  if (k === ' ' || k === 'Spacebar') player.toggle();
  else if (k === 'ArrowLeft') { if (e.shiftKey) player.prev(); else player.seekBy(-5); }
  else if (k === 'ArrowRight') { if (e.shiftKey) player.next(); else player.seekBy(5); }
  else if (k === 'ArrowUp') player.volumeBy(0.05);
  else if (k === 'ArrowDown') player.volumeBy(-0.05);
  else if (k === 'n' || k === 'N') player.next();
  else if (k === 'p' || k === 'P') player.prev();
  else if (k === 'm' || k === 'M') player.toggleMute();
  else if (k === '/') { shell.search.focus(); shell.search.select(); }
  else handled = false;
  if (handled) e.preventDefault();
});

// ---------------------------------------------------------------- boot
(async function boot() {
  try {
    app.user = await api.me();
    startShell();
  } catch {
    showLogin();
  }
})();
