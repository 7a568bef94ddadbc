// Kubernetes `Status` failures as a typed error, with the messages the real API server words them in
// (kubectl and client-node both show these messages to people).
import type { FieldError, ResourceType } from './kube-types.js';
import { qualifiedKind, qualifiedResource } from './kube-types.js';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class KubeStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubeStatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

type Named = Pick<ResourceType, 'group' | 'plural'>;

function kindDetails(type: Named, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

export function notFound(type: Named, name: string): KubeStatusError {
  return new KubeStatusError(
    404,
    'NotFound',
    `${qualifiedResource(type)} "${name}" not found`,
    kindDetails(type, name),
  );
}

export function alreadyExists(type: Named, name: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(type)} "${name}" already exists`,
    kindDetails(type, name),
  );
}

export function conflict(type: Named, name: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ` +
      'the object has been modified; please apply your changes to the latest version and try again',
    kindDetails(type, name),
  );
}

export function invalid(
  type: Pick<ResourceType, 'group' | 'kind'>,
  name: string,
  errors: FieldError[],
): KubeStatusError {
  const lines = errors.map((e) => `${e.field}: ${e.body}`);
  const aggregate = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  return new KubeStatusError(422, 'Invalid', `${qualifiedKind(type)} "${name}" is invalid: ${aggregate}`, {
    name,
    group: type.group,
    kind: type.kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.body, field: e.field })),
  });
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedHeader', message: `unsupported content type "${contentType}"` }] },
  );
}

export function methodNotAllowed(method: string, what: string): KubeStatusError {
  return new KubeStatusError(405, 'MethodNotAllowed', `the server does not allow this method on ${what}`, {
    causes: [{ reason: 'UnexpectedServerResponse', message: `${method} is not supported` }],
  });
}

export function pathNotFound(): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function expired(requested: number, oldest: number): KubeStatusError {
  return new KubeStatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** kube-apiserver's words when a list continues from a snapshot etcd has compacted (storage/etcd3). */
export function continueExpired(): KubeStatusError {
  return new KubeStatusError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new ' +
      'list without the continue parameter, or use the continue token in this response to retrieve the ' +
      'remainder of the results. Continuing with the provided token results in an inconsistent list - ' +
      'objects that were created, modified, or deleted between the time the first chunk was returned and ' +
      'now may show up in the list.',
  );
}

export function unauthorized(): KubeStatusError {
  return new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
}

export function namespaceNotFound(namespace: string): KubeStatusError {
  return notFound({ group: '', plural: 'namespaces' }, namespace);
}
