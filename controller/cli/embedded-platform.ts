// `platform: embedded`: the CLI starts the simulator in-process on a free loopback port, with its state
// under the config's stateDir, so separate invocations (plan → apply → plan) see one world. This file and
// cli/sim.ts are the only places the controller touches the simulator, and only to start or reset it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator } from '../../simulator/start.js';
import type { RunningSimulator } from '../../simulator/start.js';
import type { AtomsyncConfig } from '../config/types.js';

export function embeddedStateFile(config: AtomsyncConfig): string {
  return join(config.stateDir, 'simulator-state.json');
}

export async function startEmbeddedPlatform(
  config: AtomsyncConfig,
  scenarioFile: string,
): Promise<RunningSimulator> {
  return startSimulator({
    scenarioFile,
    stateFile: embeddedStateFile(config),
    listen: '127.0.0.1:0',
    clock: 'realtime',
  });
}

/** `atomsync sim reset`: forget the embedded world; the next command starts from the scenario again. */
export async function resetEmbeddedPlatform(config: AtomsyncConfig): Promise<void> {
  await rm(embeddedStateFile(config), { force: true });
}
