// The status `atomsync run` keeps for each IntegrationPackRelease (Flux-style kstatus conditions) and
// where it persists them: `<stateDir>/pack-release-status.json`, written atomically after each change.
// The status also carries what makes sending idempotent across restarts (release-judgement.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setCondition, type Condition, type ConditionUpdate } from '../domain/status.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { Judgement } from './release-judgement.js';

export interface PackReleaseStatus {
  /** `namespace/name` of the IntegrationPackRelease. */
  key: string;
  /** The document's generation this status is about (a content hash for files, metadata.generation on Kubernetes). */
  observedGeneration: string;
  conditions: Condition[];
  /** The publisher account's id (when the config knows it). */
  accountId?: string;
  pack: string;
  /** Set before a release is sent; cleared once the platform answered (a crash in between leaves it). */
  sendingGeneration?: string;
  /** The generation atomsync sent a release for (once per generation). */
  sentGeneration?: string;
  /** The ReleaseIntegrationPack request atomsync follows. */
  lastRequestId?: string;
  /** ReleaseIntegrationPackStatus.releaseStatus of that request, as last read. */
  releaseStatus?: string;
  /** ISO-8601 end of the last cycle that looked at it. */
  lastReconciled: string;
}

const RELEASE_STATUS_FILE = 'pack-release-status.json';
const FORMAT = 'atomsync-pack-release-status/v1';

/** The Flux conditions of a judgement: Ready always; Reconciling and Stalled only while true. */
export function conditionsOf(previous: readonly Condition[], judgement: Judgement, now: Date): Condition[] {
  const { state, reason, message } = judgement;
  const ready: ConditionUpdate = {
    type: 'Ready',
    status: state === 'Ready' ? 'True' : state === 'Reconciling' ? 'Unknown' : 'False',
    reason,
    message,
  };
  let conditions = setCondition(previous, ready, now);
  for (const type of ['Reconciling', 'Stalled'] as const) {
    conditions =
      state === type
        ? setCondition(conditions, { type, status: 'True', reason, message }, now)
        : conditions.filter((condition) => condition.type !== type);
  }
  return conditions;
}

export class ReleaseStatusStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly byKey: Map<string, PackReleaseStatus>,
  ) {}

  /** A missing file is an empty store; an unreadable one is an error (never forget what was sent). */
  static async open(stateDir: string): Promise<ReleaseStatusStore> {
    const file = join(stateDir, RELEASE_STATUS_FILE);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return new ReleaseStatusStore(file, new Map(parseStatuses(file, text).map((s) => [s.key, s])));
  }

  get(key: string): PackReleaseStatus | undefined {
    return this.byKey.get(key);
  }

  all(): PackReleaseStatus[] {
    return [...this.byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** Resolves once the file holds the status. */
  put(status: PackReleaseStatus): Promise<void> {
    this.byKey.set(status.key, status);
    return this.save();
  }

  delete(key: string): Promise<void> {
    return this.byKey.delete(key) ? this.save() : Promise.resolve();
  }

  private save(): Promise<void> {
    const body = `${JSON.stringify({ format: FORMAT, statuses: this.all() }, null, 2)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, body));
    return this.writing;
  }
}

function parseStatuses(file: string, text: string | undefined): PackReleaseStatus[] {
  if (text === undefined) return [];
  let parsed: { format?: unknown; statuses?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): move it aside`);
  }
  if (parsed.format !== FORMAT || !Array.isArray(parsed.statuses))
    throw new Error(`${file} is not an atomsync release status file (format ${FORMAT}): move it aside`);
  return parsed.statuses as PackReleaseStatus[];
}
