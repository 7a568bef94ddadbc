// Issue 14, "Why" 2: statuses now go to a journal in batches. A real child process writes statuses as
// fast as it can (with compactions on the way) and is killed with SIGKILL mid-write; every status it
// was told was stored must be read back, none of them torn, and the next open must clean up after it.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../controller/reconciler/state-store.js';

const STORE_MODULE = pathToFileURL(resolve('dist/controller/reconciler/state-store.js')).href;
const KEYS = 300;

// Puts statuses in rounds of 50 at once (generation = round), printing "<round>" once a round is stored.
const WRITER = `
import { StateStore } from ${JSON.stringify(STORE_MODULE)};
const store = await StateStore.open(process.argv[2], { compactAfterBytes: 256 * 1024 });
const history = Array.from({ length: 20 }, (_, i) => ({
  revision: 'r' + i, trigger: 'resync', actions: [], result: 'InSync', durationMs: i, at: '2026-12-04T10:00:00.000Z',
}));
for (let round = 1; ; round++) {
  const keys = Array.from({ length: 50 }, (_, i) => 'ns/rt-' + ((round * 50 + i) % ${KEYS}));
  await Promise.all(keys.map((key) => store.put({
    key, observedGeneration: String(round), conditions: [], pins: [], history,
  })));
  process.stdout.write(round + '\\n');
}
`;

describe('state store killed with SIGKILL mid-write', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomsync-kill-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every status it acknowledged, intact', async () => {
    const script = join(dir, 'writer.mjs');
    await writeFile(script, WRITER);
    const stateDir = join(dir, 'state');
    const child = spawn(process.execPath, [script, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acknowledged = 0;
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<string | null>((done) => child.once('exit', (_, signal) => done(signal)));
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const rounds = chunk.toString().trim().split('\n');
        acknowledged = Number(rounds.at(-1));
        // well past several compactions (each round is ~50 KB of journal)
        if (acknowledged >= 40) {
          child.kill('SIGKILL');
          done();
        }
      });
      child.once('exit', () => fail(new Error(`writer exited early: ${errors}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const store = await StateStore.open(stateDir);
    expect(store.problems).toEqual([]);
    expect(store.keys()).toHaveLength(KEYS);
    for (let round = 1; round <= acknowledged; round++) {
      for (let i = 0; i < 50; i++) {
        const key = `ns/rt-${(round * 50 + i) % KEYS}`;
        const stored = store.get(key);
        expect(stored?.history).toHaveLength(20);
        // the round that wrote the key last (or a later one, written before the kill)
        expect(Number(stored?.observedGeneration)).toBeGreaterThanOrEqual(lastRoundOf(key, acknowledged));
      }
    }
    // what the kill left (a torn journal line, temp files, old journals) is gone after the next open
    const files = await readdir(join(stateDir, 'status'));
    expect(files).toEqual(['snapshot.json']);
  });
});

function lastRoundOf(key: string, upTo: number): number {
  const index = Number(key.slice('ns/rt-'.length));
  for (let round = upTo; round >= 1; round--) {
    const first = (round * 50) % KEYS;
    if ((index - first + KEYS) % KEYS < 50) return round;
  }
  return 0;
}
