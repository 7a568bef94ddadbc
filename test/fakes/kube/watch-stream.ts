// Watch streams: newline-delimited JSON events (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) over a
// chunked HTTP response, started at a resourceVersion, ended by timeoutSeconds or by the test.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ResourceType, StoredEvent } from './kube-types.js';
import { apiVersionOf, fromStorage, storageKeyOf } from './kube-types.js';
import type { ObjectStore } from './object-store.js';
import type { Selector } from './selectors.js';
import { KubeStatusError, badRequest } from './status-errors.js';
import type { IncludeObject } from './table.js';
import { toTable } from './table.js';

export interface WatchRequest {
  type: ResourceType;
  /** undefined: every namespace (or a cluster-scoped resource). */
  namespace: string | undefined;
  resourceVersion: string | null;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
  matches: Selector;
  table?: { tableApiVersion: string; includeObject: IncludeObject };
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

interface ActiveWatch {
  end(): void;
  drop(): void;
}

export class WatchHub {
  private readonly active = new Set<ActiveWatch>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
    private readonly clock: () => Date,
  ) {}

  serve(res: ServerResponse, request: WatchRequest): void {
    const start = this.startingPoint(request);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    if (start instanceof KubeStatusError) {
      writeEvent(res, 'ERROR', start.toStatus());
      res.end();
      return;
    }
    const stream = new WatchStream(res, request, this.clock);
    const unsubscribe = this.store.subscribe((event) => stream.onEvent(event));
    for (const event of start) stream.onEvent(event);
    if (request.sendInitialEvents) stream.bookmark(this.store.currentRevision(), true);
    this.track(res, request, stream, unsubscribe);
  }

  /** Ends every stream abruptly, the way a dropped connection or an API server restart does. */
  dropAll(): void {
    for (const watch of [...this.active]) watch.drop();
  }

  /** Ends every stream cleanly (server shutdown). */
  endAll(): void {
    for (const watch of [...this.active]) watch.end();
  }

  /** The events to replay first: synthetic ADDEDs for "current state", or history after a revision. */
  private startingPoint(request: WatchRequest): StoredEvent[] | KubeStatusError {
    const storageKey = storageKeyOf(request.type);
    const version = request.resourceVersion;
    if (request.sendInitialEvents || !version || version === '0') {
      const revision = this.store.currentRevision();
      return this.store
        .list(storageKey, request.type.namespaced ? request.namespace : undefined)
        .map((object) => ({ type: 'ADDED', resourceVersion: revision, storageKey, object }));
    }
    const revision = Number(version);
    if (!Number.isInteger(revision) || revision < 0) {
      throw badRequest(`invalid resource version "${version}"`);
    }
    try {
      return this.store.eventsAfter(storageKey, revision);
    } catch (err) {
      if (err instanceof KubeStatusError) return err;
      throw err;
    }
  }

  private track(
    res: ServerResponse,
    request: WatchRequest,
    stream: WatchStream,
    unsubscribe: () => void,
  ): void {
    const timers: NodeJS.Timeout[] = [];
    const cleanup = () => {
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      this.active.delete(watch);
    };
    const watch: ActiveWatch = {
      end: () => {
        cleanup();
        res.end();
      },
      drop: () => {
        cleanup();
        res.socket?.destroy();
        res.destroy();
      },
    };
    this.active.add(watch);
    res.on('close', cleanup);
    if (request.allowBookmarks) {
      timers.push(
        setInterval(() => stream.bookmark(this.store.currentRevision(), false), this.bookmarkIntervalMs),
      );
    }
    if (request.timeoutSeconds !== undefined) {
      // kube-apiserver also sends a bookmark as the watch's deadline comes, so the client resumes from it.
      const atDeadline = () => {
        if (request.allowBookmarks) stream.bookmark(this.store.currentRevision(), false);
        watch.end();
      };
      timers.push(setTimeout(atDeadline, request.timeoutSeconds * 1000));
    }
  }
}

/** One client's stream: filters events by namespace and selectors, writes them as lines. */
class WatchStream {
  private sentColumns = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly request: WatchRequest,
    private readonly clock: () => Date,
  ) {}

  onEvent(stored: StoredEvent): void {
    const { type } = this.request;
    if (stored.storageKey !== storageKeyOf(type)) return;
    const event: StoredEvent = {
      ...stored,
      object: fromStorage(type, stored.object),
      ...(stored.previous ? { previous: fromStorage(type, stored.previous) } : {}),
    };
    const namespace = this.request.namespace;
    if (type.namespaced && namespace !== undefined && event.object.metadata?.namespace !== namespace) return;
    const eventType = this.visibleType(event);
    if (eventType) writeEvent(this.res, eventType, this.render(event.object));
  }

  bookmark(revision: number, initialEventsEnd: boolean): void {
    const { type } = this.request;
    writeEvent(this.res, 'BOOKMARK', {
      kind: type.kind,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: String(revision),
        creationTimestamp: null,
        ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
      },
    });
  }

  /** An object that starts or stops matching the selectors is ADDED or DELETED for this watcher. */
  private visibleType(event: StoredEvent): StoredEvent['type'] | undefined {
    const matchesNow = this.request.matches(event.object);
    if (event.type !== 'MODIFIED') return matchesNow ? event.type : undefined;
    const matchedBefore = event.previous ? this.request.matches(event.previous) : false;
    if (matchesNow && matchedBefore) return 'MODIFIED';
    if (matchesNow) return 'ADDED';
    return matchedBefore ? 'DELETED' : undefined;
  }

  private render(obj: KubeObject): object {
    const { type, table } = this.request;
    const presented = { ...obj, apiVersion: apiVersionOf(type), kind: type.kind };
    if (!table) return presented;
    const withColumns = !this.sentColumns;
    this.sentColumns = true;
    return toTable(type, [presented], {
      ...table,
      resourceVersion: presented.metadata?.resourceVersion ?? '',
      now: this.clock(),
      withColumnDefinitions: withColumns,
    });
  }
}

function writeEvent(res: ServerResponse, type: EventType, object: object): void {
  if (res.writableEnded || res.destroyed) return;
  res.write(`${JSON.stringify({ type, object })}\n`);
}
