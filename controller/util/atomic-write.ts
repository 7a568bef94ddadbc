// Crash-safe file replacement: a reader sees either the old content or the new, never a torn file.
// Temp file in the same directory (so rename stays on one file system), fsync the data, rename over the
// target, then fsync the directory so the rename itself survives a power loss.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of the temp files writeFileAtomic leaves behind only if the process dies mid-write. */
export const ATOMIC_TEMP_PREFIX = '.tmp-';

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
