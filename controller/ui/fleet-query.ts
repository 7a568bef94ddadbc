// Filters and pages of the fleet matrix, read from the URL (so every view is a deep link) and shared with
// `atomsync get`'s -l selectors.
import { CELL_STATES, type CellState, type FleetRow, type FleetWave } from './fleet-view.js';

export interface FleetQuery {
  account?: string;
  environment?: string;
  state?: CellState;
  /** Substring of the runtime name or AtomVersion key, case-insensitive. */
  text?: string;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export function queryFromUrl(params: URLSearchParams): FleetQuery {
  const state = params.get('state') ?? '';
  const page = Number(params.get('page') ?? '1');
  const size = Number(params.get('size') ?? String(DEFAULT_PAGE_SIZE));
  return {
    ...nonEmpty('account', params.get('account')),
    ...nonEmpty('environment', params.get('env')),
    ...((CELL_STATES as readonly string[]).includes(state) ? { state: state as CellState } : {}),
    ...nonEmpty('text', params.get('q')),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: Number.isInteger(size) && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE,
  };
}

export function queryToUrl(query: FleetQuery, overrides: Partial<FleetQuery> = {}): string {
  const merged = { ...query, ...overrides };
  const params = new URLSearchParams();
  if (merged.account) params.set('account', merged.account);
  if (merged.environment) params.set('env', merged.environment);
  if (merged.state) params.set('state', merged.state);
  if (merged.text) params.set('q', merged.text);
  if (merged.page > 1) params.set('page', String(merged.page));
  if (merged.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(merged.pageSize));
  const search = params.toString();
  return search ? `/ui?${search}` : '/ui';
}

export function matchesQuery(row: FleetRow, query: Omit<FleetQuery, 'page' | 'pageSize'>): boolean {
  if (query.account !== undefined && row.account !== query.account && row.accountId !== query.account)
    return false;
  if (query.environment !== undefined && row.environment !== query.environment) return false;
  if (
    query.state !== undefined &&
    row.state !== query.state &&
    !row.cells.some((c) => c.state === query.state)
  )
    return false;
  if (query.text !== undefined) {
    const text = query.text.toLowerCase();
    if (!row.runtimeName.toLowerCase().includes(text) && !row.key.toLowerCase().includes(text)) return false;
  }
  return true;
}

export interface FleetPage {
  rows: FleetRow[];
  /** Rows that match the filters (all pages). */
  total: number;
  page: number;
  pages: number;
  /** 1-based index of the first row shown. */
  first: number;
}

export function pageOf(rows: readonly FleetRow[], query: FleetQuery): FleetPage {
  const matching = rows.filter((row) => matchesQuery(row, query));
  const pages = Math.max(1, Math.ceil(matching.length / query.pageSize));
  const page = Math.min(query.page, pages);
  const start = (page - 1) * query.pageSize;
  return {
    rows: matching.slice(start, start + query.pageSize),
    total: matching.length,
    page,
    pages,
    first: matching.length === 0 ? 0 : start + 1,
  };
}

function nonEmpty<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  const trimmed = value?.trim();
  return trimmed ? ({ [key]: trimmed } as Record<K, string>) : {};
}

const DEFAULT_WAVE_PAGE_SIZE = 100;

export interface WavesQuery {
  page: number;
  pageSize: number;
}

export interface WavesPage {
  /** The waves (or parts of waves) on this page, in wave order. */
  waves: FleetWave[];
  /** Planned requests in all waves. */
  total: number;
  /** Waves in the plan. */
  waveCount: number;
  page: number;
  pages: number;
  /** 1-based index of the first request shown. */
  first: number;
}

export function wavesQueryFromUrl(params: URLSearchParams): WavesQuery {
  const page = Number(params.get('page') ?? '1');
  const size = Number(params.get('size') ?? String(DEFAULT_WAVE_PAGE_SIZE));
  return {
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: Number.isInteger(size) && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_WAVE_PAGE_SIZE,
  };
}

export function wavesUrl(query: WavesQuery, page: number): string {
  const params = new URLSearchParams();
  if (page > 1) params.set('page', String(page));
  if (query.pageSize !== DEFAULT_WAVE_PAGE_SIZE) params.set('size', String(query.pageSize));
  const search = params.toString();
  return search ? `/ui/waves?${search}` : '/ui/waves';
}

/** One page of the plan's requests in wave order; a wave cut by the page break continues on the next. */
export function wavesPageOf(waves: readonly FleetWave[], query: WavesQuery): WavesPage {
  const total = waves.reduce((sum, wave) => sum + wave.requests.length, 0);
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pages);
  const start = (page - 1) * query.pageSize;
  const end = start + query.pageSize;
  const shown: FleetWave[] = [];
  let offset = 0;
  for (const wave of waves) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, wave.requests.length);
    if (from < to) shown.push({ wave: wave.wave, requests: wave.requests.slice(from, to) });
    offset += wave.requests.length;
    if (offset >= end) break;
  }
  return { waves: shown, total, waveCount: waves.length, page, pages, first: total === 0 ? 0 : start + 1 };
}
