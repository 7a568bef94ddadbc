// Finds the YAML files of a pins directory, in a fixed order (by name, directories walked in place),
// so the same tree always loads the same way.

import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative as relativePath, resolve } from 'node:path';

export interface PinFile {
  /** Path to open. */
  path: string;
  /** Path inside the directory, `/`-separated ('' when the directory is itself a file). */
  relative: string;
  /** Set for a symbolic link that leads outside the directory: where it leads. Such a file is not read. */
  linksOutsideTo?: string;
}

export type PinFileListing = { ok: true; files: PinFile[] } | { ok: false; reason: string };

const YAML_FILE = /\.ya?ml$/i;

/**
 * Lists *.yaml and *.yml files under `dir`, recursively. Hidden entries (`.git`, `.github`, …) are
 * skipped, and symbolic links to directories are not followed. Links to files inside the directory are
 * read; a link leading outside it is listed with `linksOutsideTo` so the caller can refuse it (a pin
 * folder must not become a way to read any file the process can).
 */
export async function listPinFiles(dir: string): Promise<PinFileListing> {
  try {
    const info = await stat(dir);
    if (info.isFile()) return { ok: true, files: [{ path: dir, relative: '' }] };
    return { ok: true, files: await walk(dir, '', await realpath(dir)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === 'ENOENT'
          ? `directory not found (looked for ${resolve(dir)})`
          : `cannot read the directory ${resolve(dir)} (${code})`,
    };
  }
}

async function walk(dir: string, relative: string, realRoot: string): Promise<PinFile[]> {
  const entries = await readdir(join(dir, relative), { withFileTypes: true });
  const names = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: PinFile[] = [];
  for (const entry of names) {
    const inside = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const path = join(dir, inside);
    if (entry.isDirectory()) files.push(...(await walk(dir, inside, realRoot)));
    else if (!YAML_FILE.test(entry.name)) continue;
    else if (entry.isFile()) files.push({ path, relative: inside });
    else if (entry.isSymbolicLink()) files.push(...(await linkedFile(path, inside, realRoot)));
  }
  return files;
}

/** A link to a file: listed when it stays inside the folder, flagged when it leads out of it. */
async function linkedFile(path: string, inside: string, realRoot: string): Promise<PinFile[]> {
  try {
    if (!(await stat(path)).isFile()) return [];
    const target = await realpath(path);
    const fromRoot = relativePath(realRoot, target);
    const outside = fromRoot.startsWith('..') || isAbsolute(fromRoot);
    return [outside ? { path, relative: inside, linksOutsideTo: target } : { path, relative: inside }];
  } catch {
    return [];
  }
}
