// Finds the YAML files of a pins directory, in a fixed order (by name, directories walked in place),
// so the same tree always loads the same way.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface PinFile {
  /** Path to open. */
  path: string;
  /** Path inside the directory, `/`-separated ('' when the directory is itself a file). */
  relative: string;
}

export type PinFileListing = { ok: true; files: PinFile[] } | { ok: false; reason: string };

const YAML_FILE = /\.ya?ml$/i;

/**
 * Lists *.yaml and *.yml files under `dir`, recursively. Hidden entries (`.git`, `.github`, …) are
 * skipped, and symbolic links to directories are not followed (links to files are read).
 */
export async function listPinFiles(dir: string): Promise<PinFileListing> {
  try {
    const info = await stat(dir);
    if (info.isFile()) return { ok: true, files: [{ path: dir, relative: '' }] };
    return { ok: true, files: await walk(dir, '') };
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

async function walk(dir: string, relative: string): Promise<PinFile[]> {
  const entries = await readdir(join(dir, relative), { withFileTypes: true });
  const names = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: PinFile[] = [];
  for (const entry of names) {
    const inside = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await walk(dir, inside)));
    else if (YAML_FILE.test(entry.name) && (entry.isFile() || (await isLinkToFile(join(dir, inside))))) {
      files.push({ path: join(dir, inside), relative: inside });
    }
  }
  return files;
}

async function isLinkToFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
