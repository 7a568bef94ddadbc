// The parts of a JSON plan that make it a saved plan (docs/plan-format.md): the wall time, the inputs'
// hashes, the versions observed on the platform, and diagnostics.
import { observedRuntimes, planDiagnostics } from '../domain/saved-plan.js';
import type { PlanProvenance } from '../report/json.js';
import { planInputs } from './plan-inputs.js';
import type { PlannedRun } from './planned-command.js';

export async function planProvenance(run: PlannedRun, target: readonly string[]): Promise<PlanProvenance> {
  return {
    generatedAt: new Date().toISOString(),
    inputs: await planInputs(run.platform.config, run.desired, target),
    observed: observedRuntimes(run.plan, run.snapshot),
    diagnostics: planDiagnostics(run.plan, run.snapshot),
  };
}
