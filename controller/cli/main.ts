import { Command, CommanderError } from 'commander';

/** Builds the CLI. Each verb lives in its own file under controller/cli/ and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('atomsync')
    .description(
      'Declarative runtime, connector and integration pack versions for AtomSphere-style platforms',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    throw err;
  }
}
