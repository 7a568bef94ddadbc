import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import { computePrReport } from '../pr/compute-pr-report.js';
import { renderPrReport, writePrReport } from '../pr/pr-output.js';
import { shouldColor } from '../report/text.js';
import { openPlatform } from './context.js';
import { CliError } from './errors.js';
import { collect, prRefs, warnOnStderr } from './plan-options.js';
import { addPlannedOptions, runPlanned, verbosityFlag } from './planned-command.js';
import type { PlannedFlags } from './planned-command.js';
import { detailedExitCode, emit, formatFor, renderPlan, type PlanFormat } from './render-plan.js';
import { planProvenance } from './plan-provenance.js';
import { withReleases } from './release-output.js';

interface PlanFlags extends PlannedFlags {
  output?: string;
  format?: string;
  out?: string;
  detailedExitcode?: boolean;
  base?: string;
  head?: string;
  repo: string;
  path: string[];
}

export function registerPlan(program: Command): void {
  addPlannedOptions(
    program
      .command('plan')
      .description('Compare the pins with what runs and show what apply would do (changes nothing)'),
    '10m',
  )
    .option('-o, --output <format>', 'text | json | markdown (default: json for --out FILE.json, else text)')
    .option('-f, --format <format>', 'the same as -o')
    .option('--out <file>', 'write the report to FILE instead of stdout (says "wrote FILE" on stderr)')
    .option('--detailed-exitcode', 'exit 0 when nothing is to change, 2 when something is, 1 on error')
    .option('--base <ref>', 'pull-request report: the commit the PR merges into (pins read from git)')
    .option('--head <ref>', 'pull-request report: the PR’s commit (pins read from git)')
    .option('--repo <path>', 'with --base/--head: the git repository holding the pins', '.')
    .option(
      '--path <dir>',
      'with --base/--head: pins folder inside the repository (repeatable; default: the config’s ' +
        'directory sources, relative to the repository)',
      collect,
      [],
    )
    .addHelpText(
      'after',
      `
With --base and --head the plan is a pull-request report: the pins are read from both commits (git
objects, never the working tree) and the report shows what the PR changes in the pins, how the live
platform differs from head (drift) and what apply would do after the merge. It is planned as apply would
run: pins the configured credential cannot change are marked "needs ATOM_MANAGEMENT". Markdown longer than
one GitHub comment (65,536 characters) is split into parts: --out plan.md writes plan.1.md, plan.2.md, …

Examples:
  atomsync plan --config examples/atomsync.yaml
  atomsync plan --config atomsync.yaml --out plan.json      # a saved plan: atomsync apply plan.json
  atomsync plan --config atomsync.yaml -o markdown --detailed-exitcode
  atomsync plan --config atomsync.yaml --base origin/main --head HEAD -o markdown`,
    )
    .action(async (flags: PlanFlags, command: Command) => {
      const format = formatOf(flags);
      if (flags.base !== undefined || flags.head !== undefined) return planPullRequest(flags, format);
      await runPlanned('plan', flags, verbosityFlag(command), async (run) => {
        const { plan, platform } = run;
        const provenance = format === 'json' ? await planProvenance(run, flags.target) : undefined;
        const aliases = accountBookOf(platform.config).aliases();
        const rendered = renderPlan(plan, format, aliases, !flags.out, provenance);
        await emit(withReleases(rendered, run.releasePlan, format, aliases), flags.out);
        const releasesToSend = run.releasePlan.changes.length > 0 ? 2 : 0;
        process.exitCode = flags.detailedExitcode ? Math.max(detailedExitCode(plan), releasesToSend) : 0;
      });
    });
}

/** -o (as in kubectl) and -f name the output format; -o json never writes a file called json. */
function formatOf(flags: PlanFlags): PlanFormat {
  if (flags.output !== undefined && flags.format !== undefined && flags.output !== flags.format) {
    throw new CliError(
      `-o ${flags.output} and --format ${flags.format} contradict each other: pass one of them`,
    );
  }
  return formatFor(flags.output ?? flags.format, flags.out);
}

async function planPullRequest(flags: PlanFlags, format: PlanFormat): Promise<void> {
  if (flags.dir.length > 0) {
    throw new CliError('--dir reads pins from the working tree; with --base/--head use --path DIR');
  }
  const { report, aliases } = await computePrReport(
    {
      configFile: flags.config,
      ...prRefs(flags.base, flags.head),
      repository: flags.repo,
      paths: flags.path,
    },
    openPlatform,
    warnOnStderr,
  );
  const color = !flags.out && shouldColor(process.stdout);
  const parts = renderPrReport(report, format, aliases, color);
  const files = await writePrReport(parts, flags.out);
  if (files.length > 1) {
    process.stderr.write(`The report is split into ${files.length} parts: ${files.join(', ')}\n`);
  } else if (files[0] !== undefined) {
    process.stderr.write(`wrote ${files[0]}\n`);
  }
  process.exitCode = flags.detailedExitcode ? detailedExitCode(report.plan) : 0;
}
