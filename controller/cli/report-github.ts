// `atomsync report github`: posts the plan report on a pull request (one comment, or numbered parts,
// found again by their hidden marker and updated in place) and sets a commit status.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { accountBookOf } from '../config/account-book.js';
import { loadConfig } from '../config/load-config.js';
import { processSecrets } from '../log/secret-scrubber.js';
import { statusForPlan, STATUS_CONTEXT } from '../github/commit-status.js';
import { GitRepository } from '../pr/git-repository.js';
import { planWithApplyPrivilege } from '../pipeline/elevated-plan.js';
import { readPrJson } from '../pr/pr-json.js';
import { renderPrMarkdownParts } from '../pr/pr-markdown.js';
import type { PrReport } from '../pr/pr-report.js';
import { GithubReporter, type UpsertResult } from '../github/pr-comments.js';
import { loadDesired, openPlatform } from './context.js';
import { CliError } from './errors.js';
import { computePrReport } from '../pr/compute-pr-report.js';
import { planningOptions } from '../pipeline/planning-options.js';
import { collect, prRefs, warnOnStderr } from './plan-options.js';

interface ReportGithubFlags {
  pr: string;
  repo: string;
  apiUrl?: string;
  sha?: string;
  config?: string;
  base?: string;
  head?: string;
  gitRepo: string;
  path: string[];
  fromJson?: string;
  context: string;
}

interface ComputedReport {
  report: PrReport;
  aliases: Record<string, string>;
}

const DEFAULT_CONFIG = 'atomsync.yaml';

export function registerReportGithub(program: Command): void {
  const report =
    program.commands.find((command) => command.name() === 'report') ??
    program
      .command('report')
      .description('Publish plan reports')
      .addHelpText(
        'after',
        '\nExamples:\n  atomsync report github --pr 12 --repo acme/pins --base origin/main --head HEAD',
      );
  report
    .command('github')
    .exitOverride()
    .description('Post the plan on a GitHub pull request (comment updated in place) and set a commit status')
    .requiredOption('--pr <number>', 'pull request number')
    .requiredOption('--repo <owner/name>', 'GitHub repository')
    .option('--api-url <url>', 'GitHub REST API root (default: $GITHUB_API_URL or https://api.github.com)')
    .option('--sha <sha>', 'commit that gets the status (default: the head commit)')
    .option('-c, --config <file>', `atomsync config (default: ${DEFAULT_CONFIG})`)
    .option('--base <ref>', 'the commit the PR merges into: report what the PR changes in the pins')
    .option('--head <ref>', 'the PR’s commit (pins read from git)')
    .option('--git-repo <path>', 'the git repository holding the pins', '.')
    .option(
      '--path <dir>',
      'pins folder inside the repository (repeatable; default: from the config)',
      collect,
      [],
    )
    .option(
      '--from-json <file>',
      'post a plan file written by `atomsync plan --format json` instead of planning',
    )
    .option('--context <name>', 'commit status context', STATUS_CONTEXT)
    .addHelpText(
      'after',
      `
The token comes from GITHUB_TOKEN (needs pull-requests:write and statuses:write). The status is success
when the change applies cleanly after the merge (nothing blocked, nothing manual), failure otherwise.
Exit 0 when the report was posted (even with a failure status), 1 on error.

Examples:
  atomsync report github --pr 12 --repo acme/pins --base origin/main --head HEAD
  atomsync plan --base origin/main --head HEAD --format json --out plan.json
  atomsync report github --pr 12 --repo acme/pins --from-json plan.json`,
    )
    .action(async (flags: ReportGithubFlags) => {
      const token = githubToken();
      const pr = pullRequestNumber(flags.pr);
      const reporter = new GithubReporter({
        token,
        repo: flags.repo,
        apiUrl: flags.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com',
      });
      const { report, aliases } = await computeReport(flags);
      const sha = await statusCommit(flags, report);
      const upserted = await reporter.upsertComments(pr, renderPrMarkdownParts(report, aliases));
      const status = statusForPlan(report.plan);
      await reporter.setStatus(sha, status.state, status.description, flags.context, runUrl());
      process.stdout.write(postedLines(flags, pr, upserted, sha, status).join('\n') + '\n');
      process.exitCode = 0;
    });
}

function githubToken(): string {
  const token = process.env.GITHUB_TOKEN;
  if (!token) {
    throw new CliError(
      'GITHUB_TOKEN is not set: export a GitHub token that may write pull-request comments and commit ' +
        'statuses (in GitHub Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})',
    );
  }
  processSecrets.add(token);
  return token;
}

function pullRequestNumber(value: string): number {
  const pr = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(pr) || pr <= 0) {
    throw new CliError(`--pr must be a pull request number, not "${value}"`);
  }
  return pr;
}

async function computeReport(flags: ReportGithubFlags): Promise<ComputedReport> {
  const threeWay = flags.base !== undefined || flags.head !== undefined;
  if (flags.fromJson !== undefined) {
    if (threeWay) throw new CliError('--from-json posts a plan file as it is; drop --base/--head');
    return reportFromJson(flags.fromJson, flags.config);
  }
  if (threeWay) {
    return computePrReport(
      {
        configFile: flags.config ?? DEFAULT_CONFIG,
        ...prRefs(flags.base, flags.head),
        repository: flags.gitRepo,
        paths: flags.path,
      },
      openPlatform,
      warnOnStderr,
    );
  }
  return workingTreeReport(flags.config ?? DEFAULT_CONFIG);
}

async function reportFromJson(file: string, configFile: string | undefined): Promise<ComputedReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`cannot read the plan file ${file} (${code})`);
  }
  const report = readPrJson(text, file);
  const aliases = configFile ? accountBookOf(await loadConfig(configFile)).aliases() : {};
  return { report, aliases };
}

/** No --base/--head: the pins of the config's directory sources, planned as apply would run. */
async function workingTreeReport(configFile: string): Promise<ComputedReport> {
  const platform = await openPlatform(configFile);
  try {
    const desired = await loadDesired(platform.config, []);
    const options = planningOptions(platform.config);
    const { plan } = await planWithApplyPrivilege(platform.targets, desired, options);
    return { report: { plan }, aliases: accountBookOf(platform.config).aliases() };
  } finally {
    await platform.close();
  }
}

/** --sha, else the report's head commit, else the checked-out commit of --git-repo. */
async function statusCommit(flags: ReportGithubFlags, report: PrReport): Promise<string> {
  const sha = flags.sha ?? report.head?.sha;
  if (sha !== undefined) {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha)) {
      throw new CliError(`--sha must be a full commit SHA (40 hex digits), not "${sha}"`);
    }
    return sha;
  }
  if (flags.fromJson !== undefined) {
    throw new CliError(
      `${flags.fromJson} names no head commit; pass --sha with the commit to set the status on`,
    );
  }
  const repository = await GitRepository.open(flags.gitRepo);
  return repository.resolveCommit('HEAD', '--git-repo HEAD');
}

/** The Actions run that posted the report, when running in GitHub Actions. */
function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

function postedLines(
  flags: ReportGithubFlags,
  pr: number,
  upserted: UpsertResult,
  sha: string,
  status: { state: string; description: string },
): string[] {
  const total = upserted.comments.length;
  const lines = upserted.comments.map(
    (comment) =>
      `Comment ${comment.id} ${comment.action} on ${flags.repo}#${pr}` +
      (total > 1 ? ` (part ${comment.part} of ${total})` : ''),
  );
  if (upserted.deleted.length > 0) {
    lines.push(`Deleted ${upserted.deleted.length} older part(s): ${upserted.deleted.join(', ')}`);
  }
  lines.push(`Status ${flags.context} on ${sha.slice(0, 12)}: ${status.state} (${status.description})`);
  return lines;
}
