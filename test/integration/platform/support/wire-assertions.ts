// Asserting that a body fits Boomi's OpenAPI schema (the extract in simulator/openapi/).
import { expect } from 'vitest';
import { validateWire } from '../../../support/openapi-validator.js';

export function expectWire(schemaName: string, body: unknown): void {
  expect(validateWire(schemaName, body), `${schemaName}: ${JSON.stringify(body).slice(0, 300)}`).toBeNull();
}

/** Every field is one the schema-less object documents (AccountUserRole, AuditLog: Boomi's full OpenAPI). */
export function expectOnlyFields(body: object, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => key !== '@type' && !allowed.includes(key));
  expect(unknown).toEqual([]);
}
