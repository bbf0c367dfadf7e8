// Loaded as a classic script in <head>, before the first paint: the page starts in the right
// theme instead of flashing dark. The listener's choice (theme.js) wins over the system's.
(function () {
  var chosen = null;
  try { chosen = localStorage.getItem('dspot.theme'); } catch (e) { /* storage off: follow the system */ }
  var light = chosen ? chosen === 'light' : window.matchMedia('(prefers-color-scheme: light)').matches;
  document.documentElement.dataset.theme = light ? 'light' : 'dark';
}());
