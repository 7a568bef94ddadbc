import type { Command } from 'commander';
import { planCycle } from '../reconciler/plan-cycle.js';
import { collect, planOptions } from './plan-options.js';
import { aliasesOf, loadDesired, openPlatform } from './context.js';
import { detailedExitCode, emit, parseFormat, renderPlan } from './render-plan.js';

interface PlanFlags {
  config: string;
  dir: string[];
  format: string;
  out?: string;
  detailedExitcode?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('Compare the pins with what runs and show what apply would do (changes nothing)')
    .option('-c, --config <file>', 'atomsync config', 'atomsync.yaml')
    .option(
      '-d, --dir <dir>',
      'pin directory (repeatable; default: the config’s directory sources)',
      collect,
      [],
    )
    .option('-f, --format <format>', 'text | json | markdown', 'text')
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .option('--detailed-exitcode', 'exit 0 when nothing is to change, 2 when something is, 1 on error')
    .addHelpText(
      'after',
      `
Examples:
  atomsync plan --config examples/atomsync.yaml
  atomsync plan --config atomsync.yaml --format json --out plan.json
  atomsync plan --config atomsync.yaml --format markdown --detailed-exitcode`,
    )
    .action(async (flags: PlanFlags) => {
      const format = parseFormat(flags.format);
      const platform = await openPlatform(flags.config);
      try {
        const desired = await loadDesired(platform.config, flags.dir);
        const { plan } = await planCycle(platform.targets, desired, planOptions(platform.config));
        await emit(renderPlan(plan, format, aliasesOf(platform.config), !flags.out), flags.out);
        process.exitCode = flags.detailedExitcode ? detailedExitCode(plan) : 0;
      } finally {
        await platform.close();
      }
    });
}
