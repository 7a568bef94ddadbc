// What the embedded platform received, read from the world it persists in the config's stateDir
// (<stateDir>/simulator-state.json, a plain JSON object: docs/simulator.md, "State and persistence").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SimulatorRequest {
  id: string;
  kind: string;
  status: string;
  createdBy?: string;
}

export function simulatorStateFile(stateDir: string): string {
  return join(stateDir, 'simulator-state.json');
}

/** Every version and pack request the platform accepted since the scenario started. */
export async function requestsReceived(stateDir: string): Promise<SimulatorRequest[]> {
  const saved = JSON.parse(await readFile(simulatorStateFile(stateDir), 'utf8')) as {
    state: { requests: Record<string, SimulatorRequest> };
  };
  return Object.values(saved.state.requests);
}
