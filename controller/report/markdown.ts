// The PR-comment report (GitHub-flavoured Markdown). Layout, top to bottom: hidden marker, title,
// one-line summary; what the PR changes in the pins (when given); a table per account of the pins that
// are not in sync, with in-sync runtimes collapsed; blocked pins with advice; manual steps; requests in
// apply order and drift, collapsed. Blocks are separated by blank lines so splitForGithub can cut
// between them.

import type { PinResult, Plan } from '../domain/types.js';
import { accountHeading, shortAccountName, type AccountAliases } from './account-names.js';
import { PLAN_MARKER } from '../github/comment-markers.js';
import {
  currentText,
  describeRequest,
  pinLabel,
  pinPath,
  privilegeNote,
  requestTarget,
  targetText,
  versionMove,
} from './describe.js';
import { codeSpan, escapeCell, escapeHtml, escapeInline } from './markdown-escape.js';
import type { PinChange } from './pin-changes.js';
import { groupPins, isInSync, requestsInWaveOrder, sortPins, type AccountGroup } from './plan-layout.js';
import { summaryLine } from './summary-line.js';

export { splitForGithub } from './markdown-split.js';

export interface MarkdownReportOptions {
  /** Heading of the comment; `atomsync plan` when absent. */
  title?: string;
  /** The commit the plan was made for (the PR's head). */
  headSha?: string;
  /** What the PR changes in the pins; rendered first when given (even when empty). */
  pinChanges?: PinChange[];
  /** Alias by account id, to name accounts as the config does. */
  accountAliases?: AccountAliases;
}

export function renderMarkdown(plan: Plan, opts: MarkdownReportOptions = {}): string {
  const accountName = shortAccountName(opts.accountAliases);
  const blocks = [
    `${PLAN_MARKER}\n## ${escapeInline(opts.title ?? 'atomsync plan')}`,
    headline(plan, opts.headSha),
    ...(opts.pinChanges ? pinChangesBlocks(opts.pinChanges) : []),
    ...groupPins(plan.pins).flatMap((account) => accountBlocks(account, opts.accountAliases)),
    ...blockedBlocks(plan.blocked, accountName),
    ...manualBlocks(plan.manual, accountName),
    ...requestsBlocks(plan, accountName),
    ...driftBlocks(plan, accountName),
  ];
  return `${blocks.join('\n\n')}\n`;
}

function headline(plan: Plan, headSha: string | undefined): string {
  const commit = headSha ? ` Commit ${codeSpan(headSha.slice(0, 12))},` : '';
  return `**${escapeInline(summaryLine(plan.summary))}**${commit} generated ${escapeInline(plan.generatedAt)}.`;
}

function pinChangesBlocks(changes: readonly PinChange[]): string[] {
  const heading = '### What this pull request changes in the pins';
  if (changes.length === 0) return [heading, 'This pull request changes no pins.'];
  const rows = changes.map((change) =>
    tableRow([change.key, pinLabel(change), change.before ?? '—', change.after ?? '—', change.change]),
  );
  return [heading, table(['AtomVersion', 'pin', 'before', 'after', 'change'], rows)];
}

function accountBlocks(account: AccountGroup, aliases: AccountAliases | undefined): string[] {
  const blocks = [`### ${escapeInline(accountHeading(account.accountId, aliases))}`];
  const changing = account.runtimes.flatMap((runtime) =>
    runtime.pins.filter((pin) => pin.outcome !== 'InSync'),
  );
  if (changing.length > 0) {
    const rows = changing.map((pin) =>
      tableRow([pin.runtimeName, pinLabel(pin), currentText(pin), targetText(pin), outcomeCell(pin)]),
    );
    blocks.push(table(['runtime', 'pin', 'current', 'target', 'outcome'], rows));
  }
  const inSync = inSyncBlock(account);
  if (inSync) blocks.push(inSync);
  return blocks;
}

function outcomeCell(pin: PinResult): string {
  let cell: string = pin.outcome;
  if (pin.outcome === 'Blocked') cell = `Blocked: ${pin.reason ?? 'unknown'}`;
  if (pin.outcome === 'Waiting' && pin.requestId) cell = `Waiting (request ${pin.requestId})`;
  if (pin.needsPrivilege && pin.reason !== 'InsufficientPrivilege') cell += `, needs ${pin.needsPrivilege}`;
  return cell;
}

/** In-sync pins of the account, collapsed: one line per runtime. */
function inSyncBlock(account: AccountGroup): string | undefined {
  const lines: string[] = [];
  let pins = 0;
  let unchangedRuntimes = 0;
  for (const runtime of account.runtimes) {
    const inSync = runtime.pins.filter((pin) => pin.outcome === 'InSync');
    if (inSync.length === 0) continue;
    pins += inSync.length;
    const whole = isInSync(runtime);
    if (whole) unchangedRuntimes += 1;
    const list = inSync.map((pin) => `${pinLabel(pin)} ${versionMove(pin)}`).join(', ');
    const label = whole
      ? escapeInline(runtime.runtimeName)
      : `${escapeInline(runtime.runtimeName)} (other pins)`;
    lines.push(`- **${label}**: ${escapeInline(list)}`);
  }
  if (lines.length === 0) return undefined;
  const unchanged =
    unchangedRuntimes > 0 ? ` (${plural(unchangedRuntimes, 'runtime')} with nothing to change)` : '';
  const summary = `In sync: ${plural(pins, 'pin')}${unchanged}`;
  return details(summary, lines.join('\n'));
}

function blockedBlocks(blocked: readonly PinResult[], accountName: (id: string) => string): string[] {
  if (blocked.length === 0) return [];
  const items = sortPins(blocked).map((pin) => {
    const parts = [`- **${escapeInline(pinPath(pin, accountName))}** (${codeSpan(pin.key)}) — `];
    parts.push(`**${escapeInline(pin.reason ?? 'Blocked')}**: ${escapeInline(pin.message)}`);
    if (pin.advice) parts.push(`<br>**What to do:** ${escapeInline(pin.advice)}`);
    if (pin.needsPrivilege) parts.push(`<br>:warning: ${escapeInline(privilegeNote(pin.needsPrivilege))}`);
    return parts.join('');
  });
  return [`### Blocked (${blocked.length})`, items.join('\n')];
}

function manualBlocks(manual: readonly PinResult[], accountName: (id: string) => string): string[] {
  if (manual.length === 0) return [];
  const items = sortPins(manual).map((pin) => {
    const lines = [
      `- **${escapeInline(pinPath(pin, accountName))}** (${codeSpan(pin.key)}): ` +
        `${escapeInline(versionMove(pin))}. ${escapeInline(pin.message)}`,
    ];
    if (pin.needsPrivilege) lines[0] += `<br>:warning: ${escapeInline(privilegeNote(pin.needsPrivilege))}`;
    (pin.manualSteps ?? []).forEach((step, index) => lines.push(`  ${index + 1}. ${escapeInline(step)}`));
    return lines.join('\n');
  });
  return [`### Manual (${manual.length}): steps to do by hand`, items.join('\n')];
}

function requestsBlocks(plan: Plan, accountName: (id: string) => string): string[] {
  const requests = requestsInWaveOrder(plan.changes);
  if (requests.length === 0) return [];
  const rows = requests.map((request) =>
    tableRow([
      String(request.wave),
      requestTarget(request, accountName),
      describeRequest(request, plan.pins),
      request.keys.join(', '),
    ]),
  );
  const privileged = plan.pins.filter(
    (pin) => pin.needsPrivilege && pin.outcome !== 'Blocked' && pin.outcome !== 'Manual',
  );
  const note = privileged.length
    ? `\n\n:warning: ${privileged.length} of these pins ${escapeInline(privilegeNote('ATOM_MANAGEMENT'))}: ` +
      `the credential that planned cannot make them.`
    : '';
  const body = table(['wave', 'runtime', 'request', 'AtomVersions'], rows) + note;
  return [details(`Requests in apply order (${requests.length})`, body)];
}

function driftBlocks(plan: Plan, accountName: (id: string) => string): string[] {
  if (plan.drift.length === 0) return [];
  const rows = plan.drift.map((item) =>
    tableRow([
      item.key,
      `${accountName(item.accountId)} / ${item.runtimeName}`,
      pinLabel(item),
      item.wanted,
      item.actual,
      item.reason ? `${item.outcome}: ${item.reason}` : item.outcome,
    ]),
  );
  const summary = `Drift: ${plural(plan.drift.length, 'pin')} ${plan.drift.length === 1 ? 'differs' : 'differ'} from what runs`;
  return [details(summary, table(['AtomVersion', 'runtime', 'pin', 'wanted', 'actual', 'outcome'], rows))];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function table(headers: string[], rows: string[]): string {
  return [tableRow(headers), `|${headers.map(() => '---').join('|')}|`, ...rows].join('\n');
}

function tableRow(cells: string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}
