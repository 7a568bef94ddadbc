// Who is asking, and may they: bearer tokens name a user (the admin, or a ServiceAccount whose token the
// test asked for), and a ServiceAccount's requests are judged by the RBAC objects stored in the fake —
// Roles, ClusterRoles and their bindings — the way kube-apiserver's RBAC authorizer judges them.
// Not modelled: aggregated ClusterRoles, nonResourceURLs rules (discovery is open to every user, as the
// built-in system:discovery role makes it), escalation checks on writing RBAC objects.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from './kube-types.js';
import { isPlainObject } from './kube-types.js';
import type { ResourcePath } from './resource-path.js';
import { KubeStatusError, unauthorized } from './status-errors.js';

export interface User {
  name: string;
  groups: string[];
  /** The admin is not judged by RBAC (group system:masters on a real cluster). */
  admin: boolean;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  /** The resource, with "/subresource" when there is one (e.g. atomversions/status). */
  resource: string;
  namespace?: string;
  name?: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Reads the stored RBAC objects of one kind (namespace undefined: cluster-scoped). */
export type RbacObjects = (kind: string, namespace?: string) => KubeObject[];

const ADMIN: User = {
  name: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
  admin: true,
};
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export class Authenticator {
  private readonly tokens = new Map<string, User>();

  constructor(adminToken: string) {
    this.tokens.set(adminToken, ADMIN);
  }

  /** A token for a ServiceAccount, as the kubelet would mount into its pods. */
  issueServiceAccountToken(namespace: string, name: string): string {
    const token = `sa-${namespace}-${name}-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, serviceAccountUser(namespace, name));
    return token;
  }

  /**
   * kubectl sends no bearer token over plain http://, so a request without one is the admin; the admin may
   * act as someone else (`kubectl --as=system:serviceaccount:ns:name`), as impersonation works on a cluster.
   */
  authenticate(req: IncomingMessage, token: string | undefined): User {
    const user = token === undefined ? ADMIN : this.tokens.get(token);
    if (!user) throw unauthorized();
    const impersonated = header(req, 'impersonate-user');
    if (impersonated === undefined) return user;
    if (!user.admin) {
      throw new KubeStatusError(
        403,
        'Forbidden',
        `users "${impersonated}" is forbidden: User "${user.name}" cannot impersonate resource "users" in API group "" at the cluster scope`,
        { name: impersonated, kind: 'users' },
      );
    }
    return impersonatedUser(impersonated);
  }
}

export class Authorizer {
  constructor(private readonly objects: RbacObjects) {}

  /** Throws 403 Forbidden, worded as kube-apiserver words it, when no bound rule allows the request. */
  authorize(user: User, request: RequestAttributes): void {
    if (user.admin || this.allows(user, request)) return;
    throw forbidden(user, request);
  }

  private allows(user: User, request: RequestAttributes): boolean {
    const clusterRules = this.boundRules(user, this.objects('ClusterRoleBinding'));
    if (clusterRules.some((rule) => ruleAllows(rule, request))) return true;
    if (request.namespace === undefined) return false;
    const namespaceRules = this.boundRules(user, this.objects('RoleBinding', request.namespace));
    return namespaceRules.some((rule) => ruleAllows(rule, request));
  }

  private boundRules(user: User, bindings: KubeObject[]): PolicyRule[] {
    return bindings
      .filter((binding) => subjectsOf(binding).some((subject) => names(subject, user, binding)))
      .flatMap((binding) => this.rulesOf(binding));
  }

  private rulesOf(binding: KubeObject): PolicyRule[] {
    const roleRef = isPlainObject(binding.roleRef) ? binding.roleRef : {};
    const kind = roleRef.kind === 'ClusterRole' ? 'ClusterRole' : 'Role';
    const namespace = kind === 'Role' ? binding.metadata?.namespace : undefined;
    const role = this.objects(kind, namespace).find((r) => r.metadata?.name === roleRef.name);
    return role && Array.isArray(role.rules) ? (role.rules as PolicyRule[]) : [];
  }
}

/** The verb and resource RBAC judges a resource request by. */
export function attributesOf(method: string, path: ResourcePath, query: URLSearchParams): RequestAttributes {
  const watching = path.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  const verb = verbOf(method, path.name !== undefined, watching);
  return {
    verb,
    group: path.group,
    resource: path.subresource ? `${path.plural}/${path.subresource}` : path.plural,
    ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
    // A create names no object yet, so resourceNames cannot limit it (as on a cluster).
    ...(path.name !== undefined && verb !== 'create' ? { name: path.name } : {}),
  };
}

function verbOf(method: string, named: boolean, watching: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watching) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  return (
    matches(rule.apiGroups, request.group) &&
    matches(rule.resources, request.resource) &&
    matches(rule.verbs, request.verb) &&
    (rule.resourceNames === undefined ||
      rule.resourceNames.length === 0 ||
      (request.name !== undefined && rule.resourceNames.includes(request.name)))
  );
}

function matches(allowed: string[] | undefined, value: string): boolean {
  return (allowed ?? []).some((entry) => entry === '*' || entry === value);
}

function subjectsOf(binding: KubeObject): Subject[] {
  return Array.isArray(binding.subjects) ? (binding.subjects as Subject[]) : [];
}

function names(subject: Subject, user: User, binding: KubeObject): boolean {
  switch (subject.kind) {
    case 'ServiceAccount': {
      const namespace = subject.namespace ?? binding.metadata?.namespace ?? '';
      return user.name === `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name ?? ''}`;
    }
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name ?? '');
    default:
      return false;
  }
}

function forbidden(user: User, request: RequestAttributes): KubeStatusError {
  const [plural = '', subresource] = request.resource.split('/');
  const qualified = request.group ? `${plural}.${request.group}` : plural;
  const object = request.name !== undefined ? `${qualified} "${request.name}"` : qualified;
  const scope =
    request.namespace !== undefined ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  const what = subresource ? `${plural}/${subresource}` : plural;
  return new KubeStatusError(
    403,
    'Forbidden',
    `${object} is forbidden: User "${user.name}" cannot ${request.verb} resource "${what}" in API group "${request.group}" ${scope}`,
    { ...(request.name !== undefined ? { name: request.name } : {}), group: request.group, kind: plural },
  );
}

function serviceAccountUser(namespace: string, name: string): User {
  return {
    name: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    admin: false,
  };
}

function impersonatedUser(name: string): User {
  if (name.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = '', account = ''] = name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    return serviceAccountUser(namespace, account);
  }
  return { name, groups: ['system:authenticated'], admin: false };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
