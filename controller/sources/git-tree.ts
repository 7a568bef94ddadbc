// Reading files straight from git objects (never a working tree), shared by the git source and the PR
// report. A commit's files cost two git processes whatever their number: `git ls-tree -r -z -l` lists
// them (with sizes, so oversized files are refused unread) and one `git cat-file --batch` streams every
// blob. Blobs are kept by id, so the next commit reads only the files that changed.
import { spawn } from 'node:child_process';

export interface TreeFile {
  oid: string;
  path: string;
  /** Bytes, from `ls-tree -l`; undefined when git gave none. */
  size?: number;
}

export interface TreeEntry extends TreeFile {
  mode: string;
  type: string;
}

/** Parses `git ls-tree -r -z [-l]` output. */
export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', oid = '', size] = record.slice(0, tab).split(/ +/);
    const bytes = size === undefined || size === '-' ? undefined : Number(size);
    entries.push({
      mode,
      type,
      oid,
      path: record.slice(tab + 1),
      ...(bytes === undefined ? {} : { size: bytes }),
    });
  }
  return entries;
}

/** A regular file: a blob that is not a symlink (submodules are commits, not blobs). */
export function isRegularFile(entry: TreeEntry): boolean {
  return entry.type === 'blob' && entry.mode !== '120000';
}

/**
 * Git's own tree order (`a.yaml` before the folder `a/`) differs from a folder walk's (`a` then
 * `a.yaml`); files are put in walk order so pins load in the same order from git as from a folder.
 */
function compareAsFolderWalk(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

export interface GitProcessOptions {
  /** Folder git runs in. */
  cwd: string;
  env: Record<string, string>;
  /** The process is killed after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

class GitBlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitBlobError';
  }
}

/**
 * Blob contents by id, read in bulk and kept for the files of the latest read only: a new commit costs
 * one `cat-file --batch` for the blobs it changed (none when nothing changed).
 */
export class GitBlobCache {
  private blobs = new Map<string, Buffer>();
  /** Blobs fetched from git so far (for tests and benchmarks). */
  fetched = 0;

  /** The content of every oid; what is not in the cache is read with one git process. */
  async read(git: GitProcessOptions, oids: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = [...new Set(oids)];
    const missing = wanted.filter((oid) => !this.blobs.has(oid));
    const fresh = missing.length > 0 ? await catFileBatch(git, missing) : new Map<string, Buffer>();
    this.fetched += fresh.size;
    const result = new Map<string, Buffer>();
    for (const oid of wanted) {
      const content = this.blobs.get(oid) ?? fresh.get(oid);
      if (content) result.set(oid, content);
    }
    this.blobs = result;
    return result;
  }
}

export interface FileContent {
  /** The path in the repository. */
  file: string;
  oid: string;
  /** The bytes, or only the size of a file over the limit (never read). */
  content: Uint8Array | { size: number };
}

/** The files' contents in folder-walk order, with at most one git process. */
export async function readTreeFiles(
  cache: GitBlobCache,
  git: GitProcessOptions,
  files: readonly TreeFile[],
  maxBytes: number,
): Promise<FileContent[]> {
  const sorted = [...files].sort((a, b) => compareAsFolderWalk(a.path, b.path));
  const small = sorted.filter((file) => (file.size ?? 0) <= maxBytes);
  const blobs = await cache.read(
    git,
    small.map((file) => file.oid),
  );
  return sorted.map((file) => {
    const content = blobs.get(file.oid);
    return { file: file.path, oid: file.oid, content: content ?? { size: file.size ?? 0 } };
  });
}

/** Streams `oids` into one `git cat-file --batch` and parses its answer. */
function catFileBatch(options: GitProcessOptions, oids: readonly string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', (error) => fail(new GitBlobError(`cannot run git cat-file: ${error.message}`)));
    child.stdin.on('error', () => undefined); // git exiting early is reported by 'close'
    child.on('close', (code, signal) => {
      if (settled) return;
      clearTimeout(timer);
      settled = true;
      if (code !== 0) {
        const how = signal
          ? `was stopped (${signal}, after ${options.timeoutMs} ms at most)`
          : `exited with ${code}`;
        const said = Buffer.concat(errors).toString('utf8').trim().split('\n')[0] ?? '';
        reject(new GitBlobError(`git cat-file ${how}${said ? `: ${said}` : ''}`));
        return;
      }
      try {
        resolve(parseBatch(Buffer.concat(chunks), oids));
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  });
}

/** `<oid> <type> <size>\n<content>\n` per object, in request order; `<name> missing\n` for an absent one. */
function parseBatch(output: Buffer, oids: readonly string[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  for (const requested of oids) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new GitBlobError(`git cat-file stopped before ${requested}`);
    const header = output.subarray(at, end).toString('utf8');
    const [oid = '', type = '', size = ''] = header.split(' ');
    if (type === 'missing' || oid !== requested) {
      throw new GitBlobError(
        `git object ${requested} is missing from the repository (a shallow or damaged clone?)`,
      );
    }
    const length = Number(size);
    // A copy, so a kept blob does not pin the whole batch's buffer in memory.
    blobs.set(oid, Buffer.from(output.subarray(end + 1, end + 1 + length)));
    at = end + 1 + length + 1;
  }
  return blobs;
}
