// R4/R15: who may change what. The HTTP layer checks the handlers' privilege lists first; the model checks
// again so in-process callers meet the same rule with the same message.
import { SimError, type CallContext } from './port.js';
import { runtimeOwnerId } from './lookups.js';
import type { RuntimeRecord, WorldState } from './state.js';

export const ATOM_MANAGEMENT = 'ATOM_MANAGEMENT';
const ATOM_MANAGEMENT_READ_ONLY = 'ATOM_MANAGEMENT_READ_ONLY';

export const READ_PRIVILEGES: readonly string[] = [ATOM_MANAGEMENT, ATOM_MANAGEMENT_READ_ONLY];
export const WRITE_PRIVILEGES: readonly string[] = [ATOM_MANAGEMENT];
/** Role and AccountUserRole: readable with the API privilege alone. */
export const API_ONLY: readonly string[] = [];
const ACCOUNT_ADMIN = 'ACCOUNT_ADMIN';
/** Role, AccountUserRole and AccountGroup writes (the document's "Required Privileges" of each). */
export const ACCOUNT_ADMIN_PRIVILEGES: readonly string[] = [ACCOUNT_ADMIN];

/** 403 unless the caller holds ACCOUNT_ADMIN; `action` says what was attempted. */
export function requireAccountAdmin(ctx: CallContext, action: string): void {
  if (ctx.privileges.has(ACCOUNT_ADMIN)) return;
  throw new SimError(
    403,
    `${action} requires the ${ACCOUNT_ADMIN} privilege; user ${ctx.userId} does not have it in account ${ctx.accountId}.`,
  );
}

/** 403 unless the caller holds ATOM_MANAGEMENT; `action` says what was attempted. */
export function requireAtomManagement(ctx: CallContext, action: string): void {
  if (ctx.privileges.has(ATOM_MANAGEMENT)) return;
  const held = ctx.privileges.has(ATOM_MANAGEMENT_READ_ONLY)
    ? `only ${ATOM_MANAGEMENT_READ_ONLY}`
    : `neither ${ATOM_MANAGEMENT} nor ${ATOM_MANAGEMENT_READ_ONLY}`;
  throw new SimError(
    403,
    `${action} requires the ${ATOM_MANAGEMENT} privilege; user ${ctx.userId} has ${held} in account ${ctx.accountId}.`,
  );
}

/** R4: a runtime the account does not own (an attachment to a public Atom Cloud) cannot be changed. */
export function requireOwned(state: WorldState, runtime: RuntimeRecord): void {
  const owner = runtimeOwnerId(state, runtime);
  if (owner === runtime.accountId) return;
  throw new SimError(
    403,
    `Runtime "${runtime.name}" (${runtime.id}) is owned by account ${owner} and cannot be changed.`,
  );
}
