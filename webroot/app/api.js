// Thin fetch wrapper around the HTTP API (see docs/API.md).
// The session cookie (HttpOnly, SameSite=Strict) authenticates every call.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
export function notifyUnauthorized() { onUnauthorized(); }

// Called when the server did not answer (or a proxy said it is gone), so the
// app can retry the same origin and say "Reconnecting…" (see reconnect.js).
let onUnreachable = () => {};
export function setUnreachableHandler(fn) { onUnreachable = fn; }
const GONE = new Set([502, 503, 504]);

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

const enc = encodeURIComponent;

// signal: an AbortSignal; an aborted call counts as the server not answering (status 0).
export async function request(method, path, body, { auth = true, signal } = {}) {
  const opts = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    // A call its caller gave up on (the reconnector's probe timing out or cancelled) reports nothing itself.
    if (!(signal && signal.aborted)) onUnreachable();
    throw new ApiError(0, 'Cannot reach the server');
  }
  if (GONE.has(res.status)) onUnreachable();
  let data = null;
  const text = res.status === 204 ? '' : await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    if (res.status === 401 && auth) onUnauthorized();
    const msg = (data && data.error) || `${res.status} ${res.statusText || 'error'}`;
    throw new ApiError(res.status, msg, data);
  }
  return data;
}

export const api = {
  login: (username, password) => request('POST', '/api/auth/login', { username, password }, { auth: false }),
  logout: () => request('POST', '/api/auth/logout', undefined, { auth: false }),
  me: ({ signal } = {}) => request('GET', '/api/auth/me', undefined, { auth: false, signal }),
  changePassword: (oldPassword, newPassword) => request('PUT', '/api/auth/password', { oldPassword, newPassword }),

  artists: (p) => request('GET', '/api/artists' + qs(p)),
  artist: (id) => request('GET', '/api/artists/' + enc(id)),
  albums: (p) => request('GET', '/api/albums' + qs(p)),
  album: (id) => request('GET', '/api/albums/' + enc(id)),
  songs: (p) => request('GET', '/api/songs' + qs(p)),
  songIds: (p) => request('GET', '/api/songs/ids' + qs(p)),
  songsByIds: (ids) => request('GET', '/api/songs' + qs({ ids: ids.join(',') })),
  search: (p) => request('GET', '/api/search' + qs(p)),
  genres: () => request('GET', '/api/genres'),
  years: () => request('GET', '/api/years'),
  song: (id) => request('GET', '/api/songs/' + enc(id)),
  deleteSong: (id) => request('DELETE', '/api/songs/' + enc(id)),

  playlists: (p) => request('GET', '/api/playlists' + qs(p)),
  playlist: (id) => request('GET', '/api/playlists/' + enc(id)),
  createPlaylist: (name, songIds = []) => request('POST', '/api/playlists', { name, songIds }),
  updatePlaylist: (id, patch) => request('PUT', '/api/playlists/' + enc(id), patch),
  deletePlaylist: (id) => request('DELETE', '/api/playlists/' + enc(id)),

  users: (p) => request('GET', '/api/users' + qs(p)),
  createUser: (u) => request('POST', '/api/users', u),
  deleteUser: (id) => request('DELETE', '/api/users/' + enc(id)),
  resetPassword: (id, password) => request('PUT', '/api/users/' + enc(id) + '/password', { password }),
};

export function streamUrl(songId) {
  return '/api/songs/' + enc(songId) + '/stream';
}

// Upload one file with XMLHttpRequest (fetch has no upload progress events).
// onProgress(fraction 0..1). Resolves with the JSON answer, rejects with ApiError.
export function uploadFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/songs');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
      } else {
        if (xhr.status === 401) onUnauthorized();
        const msg = (data && data.error) || `Upload failed (${xhr.status})`;
        reject(new ApiError(xhr.status, msg, data));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'Network error during upload')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'Upload aborted')));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
