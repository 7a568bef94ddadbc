// Crash-safe file replacement: a reader sees either the old content or the new, never a torn file.
// Temp file in the same directory (so rename stays on one file system), fsync the data, rename over the
// target, then fsync the directory so the rename itself survives a power loss.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of the temp files writeFileAtomic leaves behind only if the process dies mid-write. */
const ATOMIC_TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(
    dir,
    `${ATOMIC_TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`,
  );
  try {
    await writeAndSync(temp, data, mode);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

export function isAtomicTempFile(name: string): boolean {
  return name.startsWith(ATOMIC_TEMP_PREFIX);
}

/**
 * Removes the temp files an interrupted writeFileAtomic of `path` left next to it (kill -9 between write
 * and rename). A temp file of a process that still runs is left alone: it may be mid-write.
 * Returns the names removed.
 */
export async function removeLeftoverTempFiles(path: string): Promise<string[]> {
  const prefix = `${ATOMIC_TEMP_PREFIX}${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || isRunning(writerPid(name.slice(prefix.length)))) continue;
    await unlink(join(dirname(path), name)).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/** `<pid>.<random>` → pid. */
function writerPid(suffix: string): number {
  return Number(suffix.split('.', 1)[0]);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeAndSync(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Some platforms (Windows) cannot open or fsync a directory; the rename is as durable as they allow. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
