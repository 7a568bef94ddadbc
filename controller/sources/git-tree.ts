// Reading files straight from git objects (never a working tree): shared by the git source and the PR
// report, which both list a commit's tree and export its blobs.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SimpleGit } from 'simple-git';

export interface TreeFile {
  oid: string;
  path: string;
}

export interface TreeEntry extends TreeFile {
  mode: string;
  type: string;
}

/** Parses `git ls-tree -r -z` output. */
export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    entries.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/** A regular file: a blob that is not a symlink (submodules are commits, not blobs). */
export function isRegularFile(entry: TreeEntry): boolean {
  return entry.type === 'blob' && entry.mode !== '120000';
}

/** Writes each file's blob to the same relative path under `folder`. */
export async function exportBlobs(git: SimpleGit, files: readonly TreeFile[], folder: string): Promise<void> {
  for (const file of files) {
    const target = join(folder, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    const content = (await git.binaryCatFile(['blob', file.oid])) as Buffer;
    await writeFile(target, content);
  }
}
