// Where an atomsync config keeps the embedded platform's state: <stateDir>/simulator-state.json, stateDir
// relative to the config file's folder, `.atomsync` when absent (docs/configuration.md). The simulator reads
// only this one field, so `sim reset -c` works without the controller's code.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

const EMBEDDED_STATE_FILE = 'simulator-state.json';
const DEFAULT_STATE_DIR = '.atomsync';

export async function stateFileOfConfig(configFile: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${configFile} (${resolve(configFile)}): cannot be read (${code}); pass --config FILE.`);
  }
  let stateDir: unknown;
  try {
    stateDir = (parse(text) as { stateDir?: unknown } | null)?.stateDir ?? DEFAULT_STATE_DIR;
  } catch (error) {
    throw new Error(`${configFile}: not valid YAML (${(error as Error).message.split('\n')[0]}).`);
  }
  if (typeof stateDir !== 'string' || stateDir === '') {
    throw new Error(`${configFile}: stateDir must be a folder path (text).`);
  }
  return join(resolve(dirname(configFile), stateDir), EMBEDDED_STATE_FILE);
}
