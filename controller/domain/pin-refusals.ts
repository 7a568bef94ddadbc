// AtomVersions that cannot be meant, found over the whole desired set before anything is planned:
//   UnknownAccount   spec.account is neither an alias nor an id of a configured account;
//   RuntimeNotFound  the account was read and has no runtime of that name or id (closest names suggested);
//   DuplicateRuntime two AtomVersions pin one runtime, however the account (alias or id) and the runtime
//                    (name or id, once the platform tells which id a name has) are written.
// The CLI turns refusals into load errors (file:line:col, exit 1, nothing sent); the controller gives each
// refused AtomVersion a Stalled status and never writes to its runtime (docs/cli.md, docs/rules.md).
// Pure: the config's account book and, where known, the platform's runtimes come in as arguments.
import { AccountBook, runtimeIdentity } from './accounts.js';
import { closestNames, didYouMean } from './closest-names.js';
import type { DesiredAtomVersion } from './types.js';

export type RefusalReason = 'UnknownAccount' | 'RuntimeNotFound' | 'DuplicateRuntime';

export interface PinRefusal {
  key: string;
  reason: RefusalReason;
  /** The field the refusal points at. */
  field: 'spec.account' | 'spec.runtime';
  message: string;
  /** What to do about it. */
  advice: string;
}

/** An account's runtimes as the platform showed them; undefined when the account was not read. */
export type RuntimesOf = (accountId: string) => readonly { id: string; name: string }[] | undefined;

/**
 * The refused AtomVersions, by key. Without a book (no config) accounts are compared as written and none
 * is unknown; without `runtimesOf` runtimes are compared as written (a name and an id never match).
 */
export function refusePins(
  docs: readonly DesiredAtomVersion[],
  book?: AccountBook,
  runtimesOf?: RuntimesOf,
): Map<string, PinRefusal> {
  const refusals = new Map<string, PinRefusal>();
  for (const doc of docs) {
    const refusal =
      (book && unknownAccount(doc, book)) ?? (runtimesOf && runtimeNotFound(doc, book, runtimesOf));
    if (refusal) refusals.set(doc.key, refusal);
  }
  const candidates = docs.filter((doc) => !refusals.has(doc.key));
  for (const refusal of duplicates(candidates, book ?? new AccountBook([]), runtimesOf)) {
    refusals.set(refusal.key, refusal);
  }
  return refusals;
}

/** Where a document is written, for messages that point from one AtomVersion at another. */
function placeOf(doc: DesiredAtomVersion, field: 'account' | 'runtime' = 'runtime'): string {
  const { file, line, at } = doc.origin;
  if (file === undefined) return `AtomVersion ${doc.key}`;
  const position = at?.[field] ?? (line !== undefined ? { line, col: 1 } : undefined);
  return position ? `${doc.key} at ${file}:${position.line}:${position.col}` : `${doc.key} in ${file}`;
}

function unknownAccount(doc: DesiredAtomVersion, book: AccountBook): PinRefusal | undefined {
  const account = doc.spec.account;
  if (book.knows(account)) return undefined;
  const aliases = Object.values(book.aliases());
  const configured = aliases.length > 0 ? aliases : book.names();
  return {
    key: doc.key,
    reason: 'UnknownAccount',
    field: 'spec.account',
    message: `account '${account}' is not configured${didYouMean(closestNames(account, book.names()))}`,
    advice:
      configured.length > 0
        ? `write one of the configured accounts (${configured.join(', ')}), or add '${account}' under accounts: in the config`
        : `add '${account}' under accounts: in the config`,
  };
}

function runtimeNotFound(
  doc: DesiredAtomVersion,
  book: AccountBook | undefined,
  runtimesOf: RuntimesOf,
): PinRefusal | undefined {
  const accountId = book ? book.idOf(doc.spec.account) : doc.spec.account;
  const runtimes = runtimesOf(accountId);
  if (!runtimes) return undefined;
  const { id, name } = doc.spec.runtime;
  const names = runtimes.map((runtime) => runtime.name);
  let message: string | undefined;
  if (id !== undefined && !runtimes.some((runtime) => runtime.id === id)) {
    message = `account ${accountLabel(doc, accountId)} has no runtime with id '${id}'`;
  } else if (id === undefined && name !== undefined && !names.includes(name)) {
    message = `account ${accountLabel(doc, accountId)} has no runtime named '${name}'${didYouMean(closestNames(name, names))}`;
  }
  if (message === undefined) return undefined;
  return {
    key: doc.key,
    reason: 'RuntimeNotFound',
    field: 'spec.runtime',
    message,
    advice: 'write the name or id of a runtime of the account (`atomsync import` lists them)',
  };
}

function duplicates(
  docs: readonly DesiredAtomVersion[],
  book: AccountBook,
  runtimesOf: RuntimesOf | undefined,
): PinRefusal[] {
  const idOfName = (accountId: string, name: string): string | undefined => {
    const matches = runtimesOf?.(accountId)?.filter((runtime) => runtime.name === name) ?? [];
    return matches.length === 1 ? matches[0]?.id : undefined;
  };
  const groups = new Map<string, DesiredAtomVersion[]>();
  for (const doc of docs) {
    const identity = runtimeIdentity(book, doc.spec, idOfName);
    groups.set(identity, [...(groups.get(identity) ?? []), doc]);
  }
  return [...groups.values()]
    .filter((group) => group.length > 1)
    .flatMap((group) => group.map((doc) => duplicateOf(doc, group)));
}

function duplicateOf(doc: DesiredAtomVersion, group: readonly DesiredAtomVersion[]): PinRefusal {
  const others = group
    .filter((other) => other !== doc)
    .map((other) => `${placeOf(other)} (${writtenAs(other)})`);
  return {
    key: doc.key,
    reason: 'DuplicateRuntime',
    field: 'spec.runtime',
    message:
      `${writtenAs(doc)} is also pinned by ${others.join(' and ')}; a runtime may be pinned by one ` +
      'AtomVersion only, so none of them is applied',
    advice:
      'keep one AtomVersion for this runtime and delete the others (or point them at their own runtimes)',
  };
}

/** `account acme-prod, runtime 'Prod West Atom'` — as the document writes them. */
function writtenAs(doc: DesiredAtomVersion): string {
  const { id, name } = doc.spec.runtime;
  const runtime = id !== undefined ? `runtime id '${id}'` : `runtime '${name ?? ''}'`;
  return `account ${doc.spec.account}, ${runtime}`;
}

function accountLabel(doc: DesiredAtomVersion, accountId: string): string {
  return doc.spec.account === accountId ? accountId : `${doc.spec.account} (${accountId})`;
}
