// Apply progress: one line per request, redrawn in place on a TTY, plain log lines otherwise.
import type { Writable } from 'node:stream';
import type { ExecutionEvent } from '../pipeline/execute-requests.js';

export class ProgressDisplay {
  private readonly rows = new Map<string, string>();
  private drawn = 0;

  constructor(
    private readonly out: Writable,
    private readonly live: boolean,
  ) {}

  update(event: ExecutionEvent): void {
    const request = event.request;
    const label = `${request.runtimeName}: ${describe(request)}`;
    const state =
      'status' in event
        ? event.status
        : event.type === 'error'
          ? `ERROR ${event.message}`
          : `SKIPPED (${event.message})`;
    const id = 'id' in event ? ` [${event.id}]` : '';
    const line = `${label} — ${state}${id}`;
    const key = `${request.accountId}/${request.runtimeId}/${request.kind}/${request.action ?? ''}`;
    if (!this.live) {
      this.out.write(`${line}\n`);
      return;
    }
    this.rows.set(key, line);
    this.redraw();
  }

  finish(): void {
    this.drawn = 0;
  }

  private redraw(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const row of this.rows.values()) this.out.write(`\x1b[2K${row}\n`);
    this.drawn = this.rows.size;
  }
}

function describe(request: ExecutionEvent['request']): string {
  if (request.kind === 'AtomVersionUpdateRequest') {
    const verb = request.action === 'ROLLBACK' ? 'roll back' : 'apply pending';
    return `${verb} ${request.components.join(', ')}`;
  }
  if (request.kind === 'ReattachPack') return `reattach ${request.components.join(', ')}`;
  if (request.kind === 'RuntimeReleaseSchedule' || request.kind === 'AtomForceRestartTime')
    return `set ${request.components.join(', ').toLowerCase()}`;
  return `apply pending pack updates (${request.components.join(', ')})`;
}
