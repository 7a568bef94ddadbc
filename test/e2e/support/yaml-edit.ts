// Edits YAML files of a workspace the way a user would edit them by hand: comments and layout stay.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** Edits a one-document YAML file (a scenario, a config). */
export async function editYamlFile(file: string, edit: (doc: Document) => void): Promise<void> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  edit(doc);
  await writeFile(file, doc.toString());
}

/**
 * Runs `edit` on every AtomVersion document of every pin file in `dir`; returning false drops the
 * document. A file left without documents is deleted.
 */
export async function editPinDocuments(dir: string, edit: (doc: Document) => boolean): Promise<void> {
  const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name));
  for (const name of files) {
    const file = join(dir, name);
    const docs = parseAllDocuments(await readFile(file, 'utf8'));
    if (docs.some((doc) => doc.errors.length > 0)) throw new Error(`${file} is not valid YAML`);
    const kept = docs.filter((doc) => edit(doc));
    if (kept.length === 0) await rm(file);
    else await writeFile(file, kept.map((doc) => doc.toString({ directives: true })).join(''));
  }
}

export function pinName(doc: Document): unknown {
  return doc.getIn(['metadata', 'name']);
}
