// The first line of every pin file atomsync writes (`import`, `init`): it points yaml-language-server
// (VS Code, Neovim, JetBrains) at the pin JSON Schema shipped in this package, relative to the folder the
// file goes to, so the editor completes and checks the pins as they are typed (docs/pins.md).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PIN_SCHEMA_FILE = path.join('crds', 'atomversion.schema.json');

/** `# yaml-language-server: $schema=<path>` for a pin file written into `folder`. */
export function schemaLine(folder: string, schemaFile = packagedSchema()): string {
  let relative = path.relative(path.resolve(folder), schemaFile).split(path.sep).join('/');
  if (!relative.startsWith('.') && !path.isAbsolute(relative)) relative = `./${relative}`;
  return `# yaml-language-server: $schema=${relative}`;
}

/** crds/atomversion.schema.json of the atomsync that runs (from dist/ or from the sources). */
function packagedSchema(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, PIN_SCHEMA_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${PIN_SCHEMA_FILE} is missing from the atomsync installation`);
    dir = parent;
  }
}
