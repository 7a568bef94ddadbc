// The e2e tests run the built CLI (bin/atomsync.js → dist/). `npm ci` builds it (prepare), but a source
// edited since would be tested in its old form, so ensureBuilt() runs `npm run build` when any source is
// newer than dist. Test files run in parallel processes, so one build at a time, under a lock file.
import { execFile } from 'node:child_process';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './repo.js';

const BUILT_ENTRY = join(REPO_ROOT, 'dist', 'controller', 'cli', 'main.js');
const SOURCE_DIRS = ['controller', 'simulator', 'bench'].map((dir) => join(REPO_ROOT, dir));
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((file) => join(REPO_ROOT, file));
const LOCK_FILE = join(REPO_ROOT, 'node_modules', '.cache', 'atomsync-e2e-build.lock');
const LOCK_GIVE_UP_MS = 180_000;
const LOCK_POLL_MS = 250;

/** Builds dist/ when it is missing or older than a source file; a no-op when it is current. */
export async function ensureBuilt(): Promise<void> {
  if (!(await distIsStale())) return;
  await withBuildLock(async () => {
    if (!(await distIsStale())) return;
    console.info('e2e: dist/ is older than the sources; running npm run build');
    await runBuild();
  });
}

async function distIsStale(): Promise<boolean> {
  const built = await modifiedAt(BUILT_ENTRY);
  if (built === undefined) return true;
  const sources = await Promise.all([...SOURCE_DIRS.map(newestTsFile), ...BUILD_CONFIGS.map(modifiedAt)]);
  return sources.some((time) => time !== undefined && time > built);
}

async function newestTsFile(dir: string): Promise<number | undefined> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const times = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => modifiedAt(join(entry.parentPath, entry.name))),
  );
  return Math.max(0, ...times.map((time) => time ?? 0));
}

async function modifiedAt(file: string): Promise<number | undefined> {
  return stat(file).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}

/**
 * tsc also emits when another file of the tree has a type error; that error belongs to its author, so
 * the build's complaint is shown but only a missing CLI entry stops the tests.
 */
async function runBuild(): Promise<void> {
  const output = await new Promise<string | undefined>((resolve) => {
    execFile('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve(error ? `${stdout}${stderr}` : undefined),
    );
  });
  if (output === undefined) return;
  if ((await modifiedAt(BUILT_ENTRY)) === undefined) throw new Error(`npm run build failed:\n${output}`);
  console.warn(`npm run build reported errors (the e2e tests run what it emitted):\n${output}`);
}

async function withBuildLock(work: () => Promise<void>): Promise<void> {
  await mkdir(join(LOCK_FILE, '..'), { recursive: true });
  const giveUpAt = Date.now() + LOCK_GIVE_UP_MS;
  for (;;) {
    const lock = await open(LOCK_FILE, 'wx').catch(() => undefined);
    if (lock) {
      await lock.close();
      try {
        return await work();
      } finally {
        await rm(LOCK_FILE, { force: true });
      }
    }
    if (Date.now() > giveUpAt) {
      throw new Error(`another build holds ${LOCK_FILE}; remove it if no build is running`);
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}
