// Parses resource URLs: /api/v1/namespaces/{ns}/{resource}/{name}/{subresource},
// /apis/{group}/{version}/{resource}/{name}, and the legacy /watch/ prefix.

export interface ResourcePath {
  group: string;
  version: string;
  /** Set for /namespaces/{ns}/… paths. */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let groupVersion: { group: string; version: string; rest: string[] };
  if (segments[0] === 'api' && segments.length >= 3) {
    groupVersion = { group: '', version: segments[1] ?? '', rest: segments.slice(2) };
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    groupVersion = { group: segments[1] ?? '', version: segments[2] ?? '', rest: segments.slice(3) };
  } else {
    return undefined;
  }
  let rest = groupVersion.rest;
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  const located = locate(rest);
  return located
    ? { group: groupVersion.group, version: groupVersion.version, legacyWatch, ...located }
    : undefined;
}

type Located = Pick<ResourcePath, 'namespace' | 'plural' | 'name' | 'subresource'>;

function locate(rest: string[]): Located | undefined {
  const [first, second, third, fourth, fifth] = rest;
  if (!first || rest.length > 5) return undefined;
  const namespacedForm = first === 'namespaces' && second !== undefined && third !== undefined;
  if (namespacedForm && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(third))) {
    return withOptional({ namespace: second, plural: third }, fourth, fifth);
  }
  if (rest.length > 3) return undefined;
  return withOptional({ plural: first }, second, third);
}

function withOptional(base: Located, name: string | undefined, subresource: string | undefined): Located {
  return {
    ...base,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
