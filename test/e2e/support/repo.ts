// Where the repository and the CLI launcher are, wherever the tests are started from.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'bin', 'atomsync.js');
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
