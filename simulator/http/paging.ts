// Query paging: 100 results a page, numberOfResults is the total, a queryToken only while more remain.
// Tokens are opaque, bound to one account + object, single-use, and expire after 10 minutes; the rest of
// a result set is a snapshot taken when the query ran.
// The snapshot is kept as JSON, one array per page, serialized when the query runs: later changes to the
// objects cannot reach it, and a queryMore page is only put together, not serialized again.
import { randomBytes } from 'node:crypto';
import { SimError, type WireObject } from '../model/port.js';
import { joinJson, jsonBytes, type JsonText } from './json-text.js';
import { GONE_MESSAGE } from './respond.js';

const PAGE_SIZE = 100;
const QUERY_TOKEN_TTL_MS = 10 * 60 * 1000;

interface PendingPages {
  scope: string;
  /** The pages still to come, each the JSON of its result array. */
  pages: Buffer[];
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

  /** The first page of `results` (a QueryResultBody); `scope` names the account and object of the token. */
  firstPage(scope: string, results: readonly WireObject[]): JsonText {
    this.dropExpired();
    const pages: Buffer[] = [];
    for (let start = 0; start < results.length || start === 0; start += this.pageSize) {
      pages.push(arrayJson(results.slice(start, start + this.pageSize)));
    }
    return this.page(scope, pages, results.length);
  }

  /** The page after `token`; the token is consumed. 410 when it is unknown, used, expired or foreign. */
  nextPage(scope: string, token: string): JsonText {
    this.dropExpired();
    const entry = this.pending.get(token);
    if (!entry || entry.scope !== scope) throw new SimError(410, GONE_MESSAGE);
    this.pending.delete(token);
    return this.page(scope, entry.pages, entry.total);
  }

  /** The JSON of {"@type":"QueryResult", numberOfResults, result, queryToken?}, fields in that order. */
  private page(scope: string, pages: readonly Buffer[], total: number): JsonText {
    const remaining = pages.slice(1);
    const token = remaining.length > 0 ? this.issue({ scope, pages: remaining, total }) : undefined;
    return joinJson([
      `{"@type":"QueryResult","numberOfResults":${JSON.stringify(total)},"result":`,
      pages[0] ?? '[]',
      token === undefined ? '}' : `,"queryToken":${JSON.stringify(token)}}`,
    ]);
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

function arrayJson(items: readonly WireObject[]): Buffer {
  const parts: (string | Buffer)[] = ['['];
  items.forEach((item, index) => parts.push(index > 0 ? ',' : '', jsonBytes(item)));
  parts.push(']');
  return joinJson(parts).bytes;
}
