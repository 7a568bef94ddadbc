#!/usr/bin/env node
// Thin launcher of two programs compiled to dist/ by `npm run build` (run automatically by `npm ci` via
// `prepare`): `atomsync sim …` is the platform simulator (dist/simulator/cli/main.js), every other verb the
// controller's CLI (dist/controller/cli/main.js). The two never import each other.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const program = process.argv[2] === 'sim' ? ['simulator', 'cli'] : ['controller', 'cli'];
const entry = join(root, 'dist', ...program, 'main.js');
if (!existsSync(entry)) {
  console.error('atomsync: dist/ is missing. Run `npm run build` (or `npm ci`, which builds) first.');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
