// The player's other tabs in this browser (one BroadcastChannel): one tab plays at a time, so
// starting playback here pauses the others; and a library, playlist, star or rating change made in
// one tab shows in all of them (the in-page bus of state.js, relayed).
import { app } from './state.js';
import { toast, refreshPlaylists } from './ui.js';
import { remember } from './userlib.js';

const CHANNEL = 'dspot.tabs';

// loggedIn(): whether this tab shows the app (a tab at the login screen has nothing to refresh).
export function linkTabs(player, loggedIn) {
  if (typeof BroadcastChannel !== 'function') {
    console.warn('tabs: this browser has no BroadcastChannel; other tabs may play at the same time and show stale lists');
    return;
  }
  const channel = new BroadcastChannel(CHANNEL);
  player.addEventListener('play', () => channel.postMessage({ type: 'playing' }));
  // Only changes made here: what this tab merely loaded, or heard from another tab, goes nowhere.
  const relay = (type) => (e) => { if (!e.detail || e.detail.cause === 'change') channel.postMessage({ type }); };
  app.on('library-changed', relay('library-changed'));
  app.on('playlists-changed', relay('playlists-changed'));
  app.on('marks-changed', ({ detail: { kind, id, key, value, cause } }) => {
    if (cause === 'change') channel.postMessage({ type: 'marks', kind, id, key, value });
  });
  channel.addEventListener('message', ({ data }) => {
    if (data.type === 'playing' && player.active) {
      player.pause();
      toast('Paused: playing in another tab');
    } else if (data.type === 'playlists-changed' && loggedIn()) refreshPlaylists('other-tab');
    else if (data.type === 'library-changed' && loggedIn()) app.emit('library-changed', { cause: 'other-tab' });
    else if (data.type === 'marks' && loggedIn()) remember(data.kind, data.id, data.key, data.value, 'other-tab');
  });
  channel.addEventListener('messageerror', () => console.error('tabs: a message from another tab could not be read'));
}
