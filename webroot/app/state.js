// Shared application state (a tiny singleton, avoids import cycles).
export const app = {
  user: null, // {id, username, role}
  player: null, // Player
  playlists: [], // the caller's playlists (sidebar)
  bus: new EventTarget(), // 'library-changed', 'playlists-changed'
  get isAdmin() { return !!(this.user && this.user.role === 'admin'); },
  emit(type, detail) { this.bus.dispatchEvent(new CustomEvent(type, { detail })); },
  on(type, fn) { this.bus.addEventListener(type, fn); return () => this.bus.removeEventListener(type, fn); },
};

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export const routes = {
  album: (id) => '#/album/' + encodeURIComponent(id),
  artist: (id) => '#/artist/' + encodeURIComponent(id),
  playlist: (id) => '#/playlist/' + encodeURIComponent(id),
  search: (q) => '#/search/' + encodeURIComponent(q),
};
