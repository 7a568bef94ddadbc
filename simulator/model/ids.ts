// Deterministic, uuid-shaped ids: the same scenario always yields the same ids, so pins, tests and docs
// can name them.
import { createHash } from 'node:crypto';

/** A uuid-shaped id derived from the parts (sha-256; version nibble 5, RFC 4122 variant). */
export function uuidFrom(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/**
 * An id in the style Boomi gives to links between objects (attachments, roles of environments, account
 * group members): the linked ids, base64url-encoded without padding, as in the document's examples
 * (`RU5WX1JPTEVk…` is "ENV_ROLE" + environment id + ":" + role id). Deterministic: the same link, the same id.
 */
export function encodedId(prefix: string, ...parts: string[]): string {
  return Buffer.from(`${prefix}${parts.join(':')}`, 'utf8').toString('base64url');
}

/** A 20-character document id like those of Boomi's AuditLog (`XdDAzmwB7C-eRHGS1Oal`). */
export function documentIdFrom(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 20);
}

/** EnvironmentAtomAttachment: one runtime in one environment. */
export function atomAttachmentId(atomId: string, environmentId: string): string {
  return encodedId('ATOM_ENV', atomId, environmentId);
}

/** IntegrationPackEnvironmentAttachment: one pack instance in one environment. */
export function packAttachmentId(instanceId: string, environmentId: string): string {
  return encodedId('IPACK_ENV', instanceId, environmentId);
}
