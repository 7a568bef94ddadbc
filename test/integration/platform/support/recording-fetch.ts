// A fetch that keeps every exchange's raw JSON answer, so tests can validate exactly what went over the
// wire (query envelopes, bulk envelopes, 202s) while still calling the platform through the client.
export interface WireExchange {
  method: string;
  /** Path below the account, without the query string: `Atom/query`, `AtomVersions/abc`. */
  path: string;
  url: string;
  status: number;
  body: unknown;
}

export interface RecordingFetch {
  fetchImpl: typeof fetch;
  exchanges: WireExchange[];
  /** The latest exchange with this method and path (below the account). */
  last(method: string, path: string): WireExchange;
}

const ACCOUNT_PATH = /^\/(?:partner\/)?api\/rest\/v1\/[^/]+\/(.*)$/;

export function recordingFetch(): RecordingFetch {
  const exchanges: WireExchange[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const pathname = decodeURIComponent(new URL(url).pathname);
    exchanges.push({
      method: init?.method ?? 'GET',
      path: ACCOUNT_PATH.exec(pathname)?.[1] ?? pathname,
      url,
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    });
    return response;
  };
  return {
    fetchImpl,
    exchanges,
    last(method, path) {
      const found = exchanges.findLast((e) => e.method === method && e.path === path);
      if (!found) throw new Error(`no ${method} ${path} was sent`);
      return found;
    },
  };
}
