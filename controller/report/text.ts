// The terminal report: pins grouped by account and runtime, requests in wave order, what is waiting,
// blocked or manual (with advice), and a one-line summary.

import type { Outcome, PinResult, Plan } from '../domain/types.js';
import { accountHeading, shortAccountName, type AccountAliases } from './account-names.js';
import { palette, type Palette, type Style } from './ansi.js';
import {
  describeRequest,
  pinLabel,
  pinPath,
  privilegeNote,
  reasonText,
  requestTarget,
  versionMove,
} from './describe.js';
import { groupPins, requestsInWaveOrder, sortPins, type AccountGroup } from './plan-layout.js';
import { summaryLine } from './summary-line.js';

export { shouldColor } from './ansi.js';

export interface TextReportOptions {
  color: boolean;
  /** Alias by account id, to name accounts as the config does. */
  accountAliases?: AccountAliases;
}

const HEADERS = ['RUNTIME', 'PIN', 'CURRENT → TARGET', 'OUTCOME', 'REASON'] as const;
const INDENT = '  ';
const GAP = '  ';

export function renderText(plan: Plan, opts: TextReportOptions): string {
  const ctx: TextContext = {
    plan,
    style: palette(opts.color),
    accountName: shortAccountName(opts.accountAliases),
    aliases: opts.accountAliases,
  };
  const sections = [
    pinsSection(ctx),
    requestsSection(ctx),
    waitingSection(ctx),
    blockedSection(ctx),
    manualSection(ctx),
    changedOutsideSection(ctx),
    privilegeSection(ctx),
    [ctx.style.bold(summaryLine(plan.summary))],
  ].filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

interface TextContext {
  plan: Plan;
  style: Palette;
  accountName: (accountId: string) => string;
  aliases: AccountAliases | undefined;
}

type Row = [runtime: string, pin: string, move: string, outcome: string, reason: string];

function pinsSection(ctx: TextContext): string[] {
  const groups = groupPins(ctx.plan.pins);
  if (groups.length === 0) return ['No pins.'];
  const widths = columnWidths(groups);
  const lines: string[] = [];
  for (const account of groups) {
    if (lines.length > 0) lines.push('');
    lines.push(ctx.style.bold(accountHeading(account.accountId, ctx.aliases)));
    lines.push(INDENT + ctx.style.dim(formatRow(HEADERS, widths)));
    for (const pin of accountRows(account)) lines.push(INDENT + styledRow(pin, widths, ctx.style));
  }
  return lines;
}

interface RowSource {
  pin: PinResult;
  row: Row;
}

function accountRows(account: AccountGroup): RowSource[] {
  return account.runtimes.flatMap((runtime) =>
    runtime.pins.map((pin, index) => ({
      pin,
      row: [
        index === 0 ? runtime.runtimeName : '',
        pinLabel(pin),
        versionMove(pin),
        pin.outcome,
        rowReason(pin),
      ],
    })),
  );
}

function rowReason(pin: PinResult): string {
  const reason = reasonText(pin);
  if (pin.needsPrivilege === undefined || pin.reason === 'InsufficientPrivilege') return reason;
  const note = `needs ${pin.needsPrivilege}`;
  return reason ? `${reason}, ${note}` : note;
}

function columnWidths(groups: AccountGroup[]): number[] {
  const rows = groups.flatMap((account) => accountRows(account).map(({ row }) => row));
  return HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
}

/** Cells padded to their column, the last non-empty cell unpadded, so lines carry no trailing blanks. */
function formatRow(cells: readonly string[], widths: number[], styles: readonly Style[] = []): string {
  let last = cells.length - 1;
  while (last > 0 && cells[last] === '') last -= 1;
  return cells
    .slice(0, last + 1)
    .map((cell, column) => {
      const styled = (styles[column] ?? plain)(cell);
      return column === last ? styled : styled + ' '.repeat((widths[column] ?? 0) - cell.length);
    })
    .join(GAP);
}

const plain: Style = (text) => text;

function styledRow({ pin, row }: RowSource, widths: number[], style: Palette): string {
  const reasonStyle = pin.outcome === 'Blocked' ? style.red : plain;
  return formatRow(row, widths, [plain, plain, plain, outcomeColor(pin.outcome, style), reasonStyle]);
}

function outcomeColor(outcome: Outcome, style: Palette): Style {
  switch (outcome) {
    case 'InSync':
      return style.green;
    case 'ApplyPending':
    case 'ApplyPackPending':
      return style.yellow;
    case 'Rollback':
    case 'ReattachPack':
      return style.magenta;
    case 'Configure':
      return style.yellow;
    case 'Scheduled':
    case 'Waiting':
      return style.cyan;
    case 'Manual':
      return style.blue;
    case 'Blocked':
      return style.red;
  }
}

function requestsSection(ctx: TextContext): string[] {
  const requests = requestsInWaveOrder(ctx.plan.changes);
  if (requests.length === 0) return [];
  const lines = [ctx.style.bold(`Requests, in apply order (${requests.length}):`)];
  let wave: number | undefined;
  requests.forEach((request, index) => {
    if (request.wave !== wave) {
      wave = request.wave;
      lines.push(`${INDENT}wave ${wave}`);
    }
    const keys = ctx.style.dim(`(${request.keys.join(', ')})`);
    lines.push(
      `${INDENT}${INDENT}${index + 1}. ${requestTarget(request, ctx.accountName)}: ` +
        `${describeRequest(request, ctx.plan.pins)} ${keys}`,
    );
  });
  return lines;
}

function waitingSection(ctx: TextContext): string[] {
  const waiting = sortPins(ctx.plan.pins.filter((pin) => pin.outcome === 'Waiting'));
  if (waiting.length === 0) return [];
  const lines = [ctx.style.bold(`Waiting (${waiting.length}):`)];
  for (const pin of waiting) {
    lines.push(`${INDENT}${ctx.style.cyan(pinPath(pin, ctx.accountName))} ${ctx.style.dim(`(${pin.key})`)}`);
    lines.push(`${INDENT}${INDENT}${pin.message}`);
  }
  return lines;
}

function blockedSection(ctx: TextContext): string[] {
  const blocked = sortPins(ctx.plan.blocked);
  if (blocked.length === 0) return [];
  const lines = [ctx.style.bold(`Blocked (${blocked.length}):`)];
  for (const pin of blocked) {
    const title = `${pinPath(pin, ctx.accountName)} — ${pin.reason ?? 'Blocked'}`;
    lines.push(`${INDENT}${ctx.style.red(title)} ${ctx.style.dim(`(${pin.key})`)}`);
    lines.push(...pinDetails(pin, ctx.style));
  }
  return lines;
}

function manualSection(ctx: TextContext): string[] {
  const manual = sortPins(ctx.plan.manual);
  if (manual.length === 0) return [];
  const lines = [ctx.style.bold(`Manual (${manual.length}), to do by hand:`)];
  for (const pin of manual) {
    const title = `${pinPath(pin, ctx.accountName)}: ${versionMove(pin)}`;
    lines.push(`${INDENT}${ctx.style.blue(title)} ${ctx.style.dim(`(${pin.key})`)}`);
    lines.push(...pinDetails(pin, ctx.style));
    (pin.manualSteps ?? []).forEach((step, index) => {
      lines.push(`${INDENT}${INDENT}${INDENT}${index + 1}. ${step}`);
    });
  }
  return lines;
}

/** Change pins the planning credential could not make: the apply credential needs the privilege. */
function privilegeSection(ctx: TextContext): string[] {
  const pins = sortPins(
    ctx.plan.pins.filter(
      (pin) => pin.needsPrivilege !== undefined && pin.outcome !== 'Blocked' && pin.outcome !== 'Manual',
    ),
  );
  if (pins.length === 0) return [];
  const lines = [ctx.style.bold(`Needs ATOM_MANAGEMENT at apply time (${pins.length}):`)];
  for (const pin of pins) lines.push(`${INDENT}${pinPath(pin, ctx.accountName)}: ${pin.outcome}`);
  return lines;
}

function pinDetails(pin: PinResult, style: Palette): string[] {
  const lines = [`${INDENT}${INDENT}${pin.message}`];
  if (pin.advice) lines.push(`${INDENT}${INDENT}${style.bold('What to do:')} ${pin.advice}`);
  if (pin.needsPrivilege) lines.push(`${INDENT}${INDENT}${style.yellow(privilegeNote(pin.needsPrivilege))}`);
  if (pin.changedBy) lines.push(`${INDENT}${INDENT}${style.bold('Changed by:')} ${pin.changedBy}`);
  return lines;
}

/** Drifted pins apply closes, with the AuditLog entry behind what runs (blocked and manual ones say it above). */
function changedOutsideSection(ctx: TextContext): string[] {
  const pins = sortPins(
    ctx.plan.pins.filter(
      (pin) =>
        pin.changedBy !== undefined &&
        pin.outcome !== 'InSync' &&
        pin.outcome !== 'Blocked' &&
        pin.outcome !== 'Manual',
    ),
  );
  if (pins.length === 0) return [];
  const lines = [ctx.style.bold(`Changed on the platform (AuditLog) (${pins.length}):`)];
  for (const pin of pins) lines.push(`${INDENT}${pinPath(pin, ctx.accountName)}: ${pin.changedBy}`);
  return lines;
}
