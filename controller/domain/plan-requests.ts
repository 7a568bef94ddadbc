// Grouping the planned changes into platform requests: per runtime one AtomVersionUpdateRequest per action
// (ROLLBACK before APPLY_PENDING), one IntegrationPackPendingUpdateRequest, and one ReattachPack per pack
// and environment (shared by every runtime in that environment).
import { packsMovedByApply } from './pack-apply-conflicts.js';
import type { PlannedPin } from './plan-runtime.js';
import type { SettingWrite } from './plan-settings.js';
import type { RuntimeRequestGroup } from './waves.js';
import { compareText } from './waves.js';
import type { ExpectedVersion, PlannedRequest, RuntimeState } from './types.js';
import { RUNTIME_COMPONENT } from './types.js';

interface ComponentRequestDraft {
  components: Set<string>;
  keys: Set<string>;
}

interface RuntimeDraft {
  accountId: string;
  runtime: RuntimeState;
  rollback?: ComponentRequestDraft;
  apply?: ComponentRequestDraft;
  packApplyKeys?: Set<string>;
  /** Setting writes (release schedule, force-restart time): one request each. */
  settings: PlannedRequest[];
  reattachments: { request: PlannedRequest; keys: Set<string> }[];
}

export class RequestCollector {
  private readonly drafts = new Map<RuntimeState, RuntimeDraft>();
  private readonly reattachments = new Map<string, { request: PlannedRequest; keys: Set<string> }>();

  add(planned: PlannedPin): void {
    const { result, runtime } = planned;
    switch (result.outcome) {
      case 'ApplyPending':
        addComponent(
          (this.draftFor(result.accountId, runtime).apply ??= emptyComponentDraft()),
          result.name,
          result.key,
        );
        return;
      case 'Rollback':
        addComponent(
          (this.draftFor(result.accountId, runtime).rollback ??= emptyComponentDraft()),
          result.name,
          result.key,
        );
        return;
      case 'ApplyPackPending':
        (this.draftFor(result.accountId, runtime).packApplyKeys ??= new Set()).add(result.key);
        return;
      case 'ReattachPack':
        this.addReattach(planned);
        return;
      case 'Configure':
        if (planned.write)
          this.draftFor(result.accountId, runtime).settings.push(settingRequest(planned, planned.write));
        return;
      default:
        return;
    }
  }

  groups(): RuntimeRequestGroup[] {
    return [...this.drafts.values()].map(groupOf);
  }

  private addReattach({ result, resolution, runtime }: PlannedPin): void {
    const pack = resolution.pack;
    const environmentId = resolution.environmentId;
    if (!pack || environmentId === undefined) return;
    const id = `${result.accountId}\u0000${pack.integrationPackInstanceId}\u0000${environmentId}`;
    const known = this.reattachments.get(id);
    if (known) {
      known.keys.add(result.key);
      return;
    }
    const entry = {
      request: baseRequest(result.accountId, runtime, 'ReattachPack', [pack.name]),
      keys: new Set([result.key]),
    };
    entry.request.packs = [
      {
        integrationPackInstanceId: pack.integrationPackInstanceId,
        name: pack.name,
        fromVersion: pack.version,
        toVersion: Number(resolution.target ?? pack.version),
      },
    ];
    entry.request.environmentId = environmentId;
    entry.request.expected = packExpectations(entry.request.packs);
    this.reattachments.set(id, entry);
    this.draftFor(result.accountId, runtime).reattachments.push(entry);
  }

  private draftFor(accountId: string, runtime: RuntimeState): RuntimeDraft {
    let draft = this.drafts.get(runtime);
    if (!draft) {
      draft = { accountId, runtime, settings: [], reattachments: [] };
      this.drafts.set(runtime, draft);
    }
    return draft;
  }
}

function emptyComponentDraft(): ComponentRequestDraft {
  return { components: new Set(), keys: new Set() };
}

function addComponent(draft: ComponentRequestDraft, component: string, key: string): void {
  draft.components.add(component);
  draft.keys.add(key);
}

function groupOf(draft: RuntimeDraft): RuntimeRequestGroup {
  const { accountId, runtime } = draft;
  const requests: PlannedRequest[] = [];
  if (draft.rollback) requests.push(componentRequest(accountId, runtime, 'ROLLBACK', draft.rollback));
  if (draft.apply) requests.push(componentRequest(accountId, runtime, 'APPLY_PENDING', draft.apply));
  if (draft.packApplyKeys) requests.push(packApplyRequest(accountId, runtime, draft.packApplyKeys));
  const reattachments = [...draft.reattachments].sort(
    (a, b) =>
      compareText(a.request.components[0] ?? '', b.request.components[0] ?? '') ||
      compareText(a.request.environmentId ?? '', b.request.environmentId ?? ''),
  );
  for (const { request, keys } of reattachments) {
    request.keys = sortedKeys(keys);
    requests.push(reorder(request));
  }
  for (const setting of draft.settings) requests.push(setting);
  const group: RuntimeRequestGroup = {
    accountId,
    runtimeId: runtime.id,
    runtimeName: runtime.name,
    requests,
  };
  if (runtime.classification !== undefined) group.classification = runtime.classification;
  return group;
}

function componentRequest(
  accountId: string,
  runtime: RuntimeState,
  action: 'APPLY_PENDING' | 'ROLLBACK',
  draft: ComponentRequestDraft,
): PlannedRequest {
  const request = baseRequest(
    accountId,
    runtime,
    'AtomVersionUpdateRequest',
    sortComponents(draft.components),
  );
  request.action = action;
  request.expected = componentExpectations(runtime, action, request.components);
  request.keys = sortedKeys(draft.keys);
  return reorder(request);
}

/** Each component's version now and the one the action moves it to, as observed when planning. */
function componentExpectations(
  runtime: RuntimeState,
  action: 'APPLY_PENDING' | 'ROLLBACK',
  components: readonly string[],
): ExpectedVersion[] {
  return components.flatMap((name) => {
    const component = runtime.components.find((c) => c.name === name);
    const target = action === 'APPLY_PENDING' ? component?.pendingVersion : component?.rollbackVersion;
    return component && target !== undefined ? [{ name, current: component.version, target }] : [];
  });
}

function packExpectations(packs: NonNullable<PlannedRequest['packs']>): ExpectedVersion[] {
  return packs.map((pack) => ({
    name: pack.name,
    integrationPackInstanceId: pack.integrationPackInstanceId,
    current: String(pack.fromVersion),
    target: String(pack.toVersion),
  }));
}

function packApplyRequest(accountId: string, runtime: RuntimeState, keys: Set<string>): PlannedRequest {
  const moves = packsMovedByApply(runtime)
    .map((pack) => ({
      integrationPackInstanceId: pack.integrationPackInstanceId,
      name: pack.name,
      fromVersion: pack.version,
      toVersion: pack.pendingVersion ?? pack.version,
    }))
    .sort(
      (a, b) =>
        compareText(a.name, b.name) || compareText(a.integrationPackInstanceId, b.integrationPackInstanceId),
    );
  const request = baseRequest(
    accountId,
    runtime,
    'IntegrationPackPendingUpdateRequest',
    moves.map((move) => move.name),
  );
  request.packs = moves;
  request.expected = packExpectations(moves);
  request.keys = sortedKeys(keys);
  return reorder(request);
}

function baseRequest(
  accountId: string,
  runtime: RuntimeState,
  kind: PlannedRequest['kind'],
  components: string[],
): PlannedRequest {
  const request: PlannedRequest = {
    accountId,
    runtimeId: runtime.id,
    runtimeName: runtime.name,
    kind,
    components,
    wave: 0,
    keys: [],
  };
  if (runtime.classification !== undefined) request.classification = runtime.classification;
  return request;
}

/** One request per setting pin: RuntimeReleaseSchedule CREATE/UPDATE or Atom UPDATE (forceRestartTime). */
function settingRequest({ result, runtime }: PlannedPin, write: SettingWrite): PlannedRequest {
  const request = baseRequest(result.accountId, runtime, write.kind, [result.name]);
  if (write.kind === 'RuntimeReleaseSchedule') {
    request.releaseSchedule = write.schedule;
    if (write.create) request.create = true;
  } else {
    request.forceRestartTime = write.forceRestartTime;
  }
  request.keys = [result.key];
  return reorder(request);
}

/** Puts the fields in the order a reader expects (JSON output keeps insertion order). */
function reorder(request: PlannedRequest): PlannedRequest {
  const ordered: Partial<PlannedRequest> = {
    accountId: request.accountId,
    runtimeId: request.runtimeId,
    runtimeName: request.runtimeName,
  };
  if (request.classification !== undefined) ordered.classification = request.classification;
  ordered.kind = request.kind;
  if (request.action !== undefined) ordered.action = request.action;
  ordered.components = request.components;
  if (request.packs !== undefined) ordered.packs = request.packs;
  if (request.environmentId !== undefined) ordered.environmentId = request.environmentId;
  if (request.expected !== undefined) ordered.expected = request.expected;
  if (request.releaseSchedule !== undefined) ordered.releaseSchedule = request.releaseSchedule;
  if (request.create !== undefined) ordered.create = request.create;
  if (request.forceRestartTime !== undefined) ordered.forceRestartTime = request.forceRestartTime;
  ordered.wave = request.wave;
  ordered.keys = request.keys;
  return ordered as PlannedRequest;
}

/** The runtime itself first, then connectors by name. */
function sortComponents(components: Set<string>): string[] {
  return [...components].sort(
    (a, b) => Number(b === RUNTIME_COMPONENT) - Number(a === RUNTIME_COMPONENT) || compareText(a, b),
  );
}

function sortedKeys(keys: Set<string>): string[] {
  return [...keys].sort(compareText);
}
