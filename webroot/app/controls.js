// Player controls shared by the player bar (main.js) and the now-playing view.

// The stream has no data yet while the listener wants music: a spinner on the play button and
// "Buffering…" said once to screen readers (status is a live region that stays in the DOM).
export function showBuffering(playBtn, status, buffering) {
  playBtn.dataset.buffering = String(buffering);
  playBtn.setAttribute('aria-busy', String(buffering));
  const text = buffering ? 'Buffering…' : '';
  if (status.textContent !== text) status.textContent = text;
}
