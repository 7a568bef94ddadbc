import type { Command } from 'commander';
import { formatProblem, loadPins } from '../sources/load-pins.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check pin files against the AtomVersion schema (no platform access)')
    .argument('<paths...>', 'directories of AtomVersion YAML files')
    .addHelpText(
      'after',
      `
Exit code 0 when every document is valid, 1 otherwise; each problem is printed as file:line:col.

Examples:
  atomsync validate examples/pins
  atomsync validate pins/ more-pins/`,
    )
    .action(async (paths: string[]) => {
      const { desired, problems } = await loadPins(paths);
      for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
      const docs = desired.length === 1 ? '1 AtomVersion' : `${desired.length} AtomVersions`;
      if (problems.length === 0) {
        process.stdout.write(`${docs} valid.\n`);
        process.exitCode = 0;
      } else {
        process.stderr.write(`${problems.length} problem(s); ${docs} valid.\n`);
        process.exitCode = 1;
      }
    });
}
