// Reading a scenario: a YAML file (errors name the file and the field) or an object built in code.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { WorldState } from '../model/state.js';
import { buildState } from './build-state.js';
import { ScenarioError } from './field-reader.js';
import { parseScenario } from './parse-scenario.js';
import type { Scenario } from './scenario-types.js';

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(
      file,
      '(file)',
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return parseScenario(parseYamlDocument(text, file), file);
}

/** The starting state of a scenario file. */
export async function stateFromScenarioFile(file: string): Promise<WorldState> {
  return buildState(await loadScenarioFile(file), file);
}

/** The starting state of a scenario given as an object (e.g. built in a test). */
export function stateFromScenario(scenario: unknown, source = '<inline scenario>'): WorldState {
  return buildState(parseScenario(scenario, source), source);
}

function parseYamlDocument(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0]
        ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : '(document)';
      throw new ScenarioError(file, where, `is not valid YAML: ${error.message.split('\n')[0]}`);
    }
    throw error;
  }
}
