// The player's queue order (webroot/app/player.js) in Node, with a fake <audio>: moving songs keeps
// the playing one current, shuffle's bag and history keep pointing at the same songs, and the track
// the spare would preload (upcoming) is the one an automatic advance plays.
// Run by WebPlayerQueueBrowserTest; exit code 0 when every case passed.
import { assert, check, finish } from './cases.mjs';

class FakeAudio extends EventTarget {
  constructor() { super(); this.paused = true; this.ended = false; this.currentTime = 0; this.duration = NaN; this.volume = 1; this.muted = false; this.readyState = 0; this.error = null; this.attrs = {}; this.playbackRate = 1; }
  get src() { return this.attrs.src || ''; }
  get id() { return this.attrs.id ?? ''; }
  set id(v) { this.attrs.id = v; }
  set src(v) { this.attrs.src = v; }
  getAttribute(k) { return this.attrs[k] ?? null; }
  setAttribute(k, v) { this.attrs[k] = v; }
  removeAttribute(k) { delete this.attrs[k]; }
  get dataset() { return this.attrs; }
  load() {}
  play() { this.paused = false; return Promise.resolve(); }
  pause() { this.paused = true; }
  after() {}
}
const store = new Map();
globalThis.localStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k) };
globalThis.document = { createElement: () => new FakeAudio() };
globalThis.HTMLMediaElement = { HAVE_FUTURE_DATA: 3 };
if (!globalThis.navigator) globalThis.navigator = {};

const { Player } = await import('../webroot/app/player.js');

class FakeConnection extends EventTarget {
  constructor() { super(); this.state = 'online'; }
  start() {} cancel() {} check() {} retry() {}
}

const songs = (k) => Array.from({ length: k }, (_, i) => ({ id: `s${i}`, title: `Song ${i}` }));
const ids = (p, list) => list.map((i) => p.queue[i].id).sort().join();
// A small seeded generator, so a failure can be replayed.
let seed = 42;
const rand = (k) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
function player() { store.clear(); return new Player(new FakeAudio(), new FakeConnection()); }

await check('moving songs around, the one that plays stays current; the queue keeps every song once', () => {
  const p = player();
  p.playList(songs(8), 3);
  for (let k = 0; k < 300; k++) p.move(rand(8), rand(8));
  assert(p.current.id === 's3', `the current song is ${p.current.id}`);
  assert(p.queue.map((s) => s.id).sort().join() === songs(8).map((s) => s.id).sort().join(), `the queue is ${p.queue.map((s) => s.id)}`);
  return `at ${p.index}`;
});

await check('move() answers false and changes nothing for out-of-range or non-integer places', () => {
  const p = player();
  p.playList(songs(3), 0);
  for (const [from, to] of [[-1, 0], [0, 3], [1, 1], [0.5, 1], ['0', 1]]) assert(p.move(from, to) === false, `move(${from}, ${to}) did something`);
  assert(p.queue.map((s) => s.id).join() === 's0,s1,s2', `the queue is ${p.queue.map((s) => s.id)}`);
});

await check('in shuffle, the songs still to play and the songs played before stay the same songs after moves', () => {
  const p = player();
  p.toggleShuffle();
  p.playList(songs(10), 0);
  p.next(); p.next(); p.next();
  const bag = ids(p, p.bag);
  const history = p.history.map((i) => p.queue[i].id).join();
  const current = p.current.id;
  for (let k = 0; k < 300; k++) p.move(rand(10), rand(10));
  assert(ids(p, p.bag) === bag, `the bag holds ${ids(p, p.bag)}, held ${bag}`);
  assert(p.history.map((i) => p.queue[i].id).join() === history, 'the history points at other songs');
  assert(p.current.id === current && !p.bag.includes(p.index), `the current song is ${p.current.id} (was ${current}) or back in the bag`);
  return `bag of ${p.bag.length}, history of ${p.history.length}`;
});

await check('the upcoming track (what the spare preloads) is the one an automatic advance plays, shuffled or not', () => {
  for (const shuffle of [false, true]) {
    const p = player();
    if (shuffle) p.toggleShuffle();
    p.playList(songs(6), 0);
    for (let k = 0; k < 4; k++) {
      const i = p.upcoming();
      const want = p.queue[i].id;
      assert(p.upcoming() === i, 'asking twice drew another track');
      p.next(true);
      assert(p.current.id === want, `shuffle ${shuffle}: upcoming said ${want}, ${p.current.id} plays`);
    }
  }
});

await check('at the end of the queue nothing is upcoming with repeat off, the first song with repeat all, nothing with repeat one', () => {
  const p = player();
  p.playList(songs(3), 2);
  assert(p.upcoming() === -1, `repeat off: ${p.upcoming()}`);
  p.cycleRepeat();
  assert(p.repeat === 'all' && p.upcoming() === 0, `repeat ${p.repeat}: ${p.upcoming()}`);
  p.cycleRepeat();
  assert(p.repeat === 'one' && p.upcoming() === -1, `repeat ${p.repeat}: ${p.upcoming()}`);
});

await check('a hand-over makes the spare the element that plays, and #audio moves with it', () => {
  const p = player();
  p.audio.setAttribute('id', 'audio');
  p.playList(songs(3), 0);
  const first = p.audio;
  const spare = p.spare;
  spare.src = '/api/songs/s1/stream';
  p.handOver(1);
  assert(p.audio === spare && p.spare === first, 'the elements did not swap');
  assert(p.audio.getAttribute('id') === 'audio' && first.getAttribute('id') === 'audio-next', `ids: ${p.audio.getAttribute('id')}, ${first.getAttribute('id')}`);
  assert(p.current.id === 's1' && !p.audio.paused && p.history.join() === '0', `now ${p.current.id}, paused ${p.audio.paused}, history ${p.history}`);
});

finish();
