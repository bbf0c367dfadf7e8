// When the player counts a play (webroot/app/scrobble.js), in Node with a stand-in player fed
// 'time' events as playback would send them (every 0.25 s of position): at half the length, or at
// 4 minutes of a long song; once per play; not by seeking, not while paused; a new track or the
// same one started over is a new play; a play the server missed is sent again, a refused one is not.
// Run by WebPlayerUserLibraryBrowserTest; exit code 0 when every case passed.
import { scrobbleFor, LONGEST_WAIT_S, RETRY_MS } from '../webroot/app/scrobble.js';
import { assert, check, finish, sleep } from './cases.mjs';


// What scrobble.js reads of the real Player, and its two events.
class StandIn extends EventTarget {
  constructor() { super(); this.current = null; this.time = 0; this.playing = false; this.audio = { duration: NaN }; }
  load(song) { this.current = song; this.time = 0; this.audio.duration = song.duration; this.dispatchEvent(new Event('track')); this.tick(); }
  tick() { this.dispatchEvent(new Event('time')); }
  // Plays from the current position for `seconds`, a 'time' event every 0.25 s.
  play(seconds) {
    this.playing = true;
    for (let s = 0; s < seconds; s += 0.25) { this.time += 0.25; this.tick(); }
    this.playing = false;
  }
  seek(to) { this.time = to; this.tick(); }
}

function setUp(post) {
  const player = new StandIn();
  const posted = [];
  scrobbleFor(player, post || (async (song) => { posted.push(song.id); }), [20, 40]);
  return { player, posted };
}

await check('the production rule: 4 minutes at most, retried after 5 s, 30 s and 2 min', () => {
  assert(LONGEST_WAIT_S === 240, `the longest wait is ${LONGEST_WAIT_S} s`);
  assert(JSON.stringify(RETRY_MS) === '[5000,30000,120000]', `retries after ${JSON.stringify(RETRY_MS)}`);
});

await check('a 10 s song counts once half of it has played, and only once', () => {
  const { player, posted } = setUp();
  player.load({ id: 'a', duration: 10 });
  player.play(4.75);
  assert(posted.length === 0, `counted after 4.75 s: ${posted}`);
  player.play(0.25);
  assert(posted.length === 1 && posted[0] === 'a', `after 5 s: ${JSON.stringify(posted)}`);
  player.play(5);
  assert(posted.length === 1, `played to the end: ${posted.length} plays`);
});

await check('a 20 minute song counts after 4 minutes', () => {
  const { player, posted } = setUp();
  player.load({ id: 'long', duration: 1200 });
  player.play(239.75);
  assert(posted.length === 0, 'counted before 4 minutes');
  player.play(0.25);
  assert(posted.length === 1, `after 4 minutes: ${posted.length} plays`);
});

await check('seeking past the half does not count; neither does time while paused', () => {
  const { player, posted } = setUp();
  player.load({ id: 'b', duration: 10 });
  player.play(1);
  player.seek(8);
  player.play(1.5);
  player.time += 2; player.tick(); // the position moving while not playing (a restore, a reload)
  assert(posted.length === 0, `counted after 2.5 s heard: ${posted}`);
  player.seek(0);
  player.play(2.5);
  assert(posted.length === 1, `after 5 s heard in all: ${posted.length} plays`);
});

await check('a new track is a new play; so is the same song started over after it counted', () => {
  const { player, posted } = setUp();
  player.load({ id: 'c', duration: 10 });
  player.play(4);
  player.load({ id: 'd', duration: 10 });
  player.play(4);
  assert(posted.length === 0, `counted ${posted} after 4 s of each`);
  player.play(1);
  assert(JSON.stringify(posted) === '["d"]', `after 5 s of d: ${JSON.stringify(posted)}`);
  player.play(5);
  player.seek(0); // repeat one: back to the start, same track
  player.play(5);
  assert(JSON.stringify(posted) === '["d","d"]', `after d again: ${JSON.stringify(posted)}`);
});

await check('a play the server did not record is sent again; a refused one is not', async () => {
  let calls = 0;
  const { player } = setUp(async () => { calls++; if (calls < 3) throw Object.assign(new Error('away'), { status: 0 }); });
  player.load({ id: 'e', duration: 2 });
  player.play(1);
  for (let waited = 0; calls < 3 && waited < 3000; waited += 20) await sleep(20);
  await sleep(100); // and no fourth
  assert(calls === 3, `${calls} attempts (two failures, then recorded)`);
  let refused = 0;
  const second = setUp(async () => { refused++; throw Object.assign(new Error('no song'), { status: 404 }); });
  second.player.load({ id: 'gone', duration: 2 });
  second.player.play(1);
  await sleep(300); // a retry would have come after 20 ms
  assert(refused === 1, `a 404 was sent ${refused} times`);
  return `${calls} attempts`;
});

finish();
