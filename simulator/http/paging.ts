// Query paging: 100 results a page, numberOfResults is the total, a queryToken only while more remain.
// Tokens are opaque, bound to one account + object, single-use, and expire after 10 minutes; the rest of
// a result set is a snapshot taken when the query ran.
import { randomBytes } from 'node:crypto';
import { SimError, type WireObject } from './object-handler.js';
import { GONE_MESSAGE } from './respond.js';

export const PAGE_SIZE = 100;
export const QUERY_TOKEN_TTL_MS = 10 * 60 * 1000;

export interface QueryResultBody {
  '@type': 'QueryResult';
  numberOfResults: number;
  result: WireObject[];
  queryToken?: string;
}

interface PendingPages {
  scope: string;
  remaining: WireObject[];
  total: number;
  expiresAt: number;
}

export interface QueryPagerOptions {
  nowMs: () => number;
  pageSize?: number;
  ttlMs?: number;
}

export class QueryPager {
  private readonly pending = new Map<string, PendingPages>();
  private readonly pageSize: number;
  private readonly ttlMs: number;

  constructor(private readonly opts: QueryPagerOptions) {
    this.pageSize = opts.pageSize ?? PAGE_SIZE;
    this.ttlMs = opts.ttlMs ?? QUERY_TOKEN_TTL_MS;
  }

  /** The first page of `results`; `scope` names the account and object the token will be valid for. */
  firstPage(scope: string, results: readonly WireObject[]): QueryResultBody {
    this.dropExpired();
    return this.page(scope, structuredClone([...results]), results.length);
  }

  /** The page after `token`; the token is consumed. 410 when it is unknown, used, expired or foreign. */
  nextPage(scope: string, token: string): QueryResultBody {
    this.dropExpired();
    const entry = this.pending.get(token);
    if (!entry || entry.scope !== scope) throw new SimError(410, GONE_MESSAGE);
    this.pending.delete(token);
    return this.page(scope, entry.remaining, entry.total);
  }

  private page(scope: string, results: WireObject[], total: number): QueryResultBody {
    const body: QueryResultBody = {
      '@type': 'QueryResult',
      numberOfResults: total,
      result: results.slice(0, this.pageSize),
    };
    const remaining = results.slice(this.pageSize);
    if (remaining.length > 0) body.queryToken = this.issue({ scope, remaining, total });
    return body;
  }

  private issue(entry: Omit<PendingPages, 'expiresAt'>): string {
    const token = randomBytes(24).toString('base64url');
    this.pending.set(token, { ...entry, expiresAt: this.opts.nowMs() + this.ttlMs });
    return token;
  }

  private dropExpired(): void {
    const now = this.opts.nowMs();
    for (const [token, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(token);
  }
}
