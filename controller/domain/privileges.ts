import type { Principal } from './types.js';

/** R4/R12/R15: changing versions or applying pack updates needs ATOM_MANAGEMENT (read-only is not enough). */
export function canManageAtoms(principal: Principal): boolean {
  return principal.privileges.includes('ATOM_MANAGEMENT');
}
