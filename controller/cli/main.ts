import { Command, CommanderError } from 'commander';
import { registerApply } from './apply.js';
import { describeError } from './errors.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerNotifySink } from './notify-sink.js';
import { registerPlan } from './plan.js';
import { registerRun } from './run.js';
import { registerReportGithub } from './report-github.js';
import { registerStatus } from './status.js';
import { registerUi } from './ui.js';
import { registerCompletion } from './completion.js';
import { registerFleetVerbs } from './fleet-verbs.js';
import { registerValidate } from './validate.js';
import { ATOMSYNC_VERSION } from '../util/atomsync-version.js';

/** bin/atomsync.js hands these to the simulator, a program of its own (simulator/cli/main.ts). */
const SIMULATOR_VERBS = `
Simulator (a separate program, same launcher):
  sim [options]        Serve the platform simulator from a scenario file (atomsync sim --help)
  sim reset [options]  Forget the embedded platform's state; the next command starts from the scenario
`;

const EXAMPLES = `
Examples:
  atomsync plan -c examples/atomsync.yaml                   # what apply would do
  atomsync apply -c examples/atomsync.yaml --yes --wait     # do it, in waves
  atomsync ui -c examples/atomsync.yaml                     # the fleet dashboard at http://127.0.0.1:8081/ui
  atomsync get runtimes -c examples/atomsync.yaml -l outcome=blocked
  atomsync describe runtime prod-west-atom -c examples/atomsync.yaml
  atomsync run -c atomsync.yaml                             # the controller (dashboard at /ui)
  source <(atomsync completion bash)
`;

/** Builds the CLI. Each verb lives in its own file under controller/cli/ and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('atomsync')
    .description(
      'Declarative runtime, connector and integration pack versions for AtomSphere-style platforms',
    )
    .version(ATOMSYNC_VERSION)
    .option('-v, --verbose', 'show every platform call on stderr (method, object, status, ms)')
    .option('-q, --quiet', 'show only the result (errors still go to stderr)')
    .exitOverride()
    .showHelpAfterError();
  registerValidate(program);
  registerPlan(program);
  registerApply(program);
  registerInit(program);
  registerImport(program);
  registerRun(program);
  registerStatus(program);
  registerReportGithub(program);
  registerNotifySink(program);
  registerUi(program);
  registerFleetVerbs(program);
  registerCompletion(program);
  for (const command of program.commands) command.exitOverride();
  program.addHelpText('after', SIMULATOR_VERBS + EXAMPLES);
  return program;
}

/** Runs the CLI; resolves to the process exit code. Errors print one message, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    process.exitCode = 0;
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    process.stderr.write(`atomsync: ${describeError(err)}\n`);
    return 1;
  }
}
