// What a Node test of webtest/ is made of (reconnect, scrobble, contrast and queue-order .test.mjs): numbered cases
// printed as `ok N - ...` or `not ok N - ...: reason`, and a last PASS/FAILED line with the exit code.
let failed = 0;
let n = 0;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

// Runs one case; what fn returns is printed as the case's detail.
export async function check(name, fn) {
  n++;
  try {
    const detail = await fn();
    console.log(`ok ${n} - ${name}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${n} - ${name}: ${e.message}`);
  }
}

export function finish() {
  console.log(failed ? `FAILED: ${failed} of ${n}` : `PASS: all ${n} cases passed`);
  process.exit(failed ? 1 : 0);
}
