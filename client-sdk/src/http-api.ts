import { LocusClientError } from './errors.js';
import type {
  GeocodeResult,
  LatLng,
  NearbyBusiness,
  ReverseGeocodeResult,
  RouteParams,
  RouteResponse,
  SearchNearbyParams,
} from './types.js';

export type FetchLike = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}>;

/**
 * The gateway's HTTP APIs (search, geocoding, routing) on the same host as the socket. Errors have
 * the same stable codes as on the socket.
 */
export class HttpApi {
  constructor(
    private readonly base: () => string,
    private readonly token: () => Promise<string>,
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs: number,
  ) {}

  /** GET /v1/search/nearby: businesses within the radius, nearest first. */
  searchNearby(p: SearchNearbyParams): Promise<{ results: NearbyBusiness[]; next?: string }> {
    const q = new URLSearchParams({ lat: String(p.lat), lng: String(p.lng) });
    if (p.radius !== undefined) q.set('radius', String(p.radius));
    if (p.limit !== undefined) q.set('limit', String(p.limit));
    if (p.category !== undefined) q.set('category', p.category);
    if (p.openNow) q.set('open_now', 'true');
    if (p.cursor !== undefined) q.set('cursor', p.cursor);
    return this.get(`/v1/search/nearby?${q}`);
  }

  /** GET /v1/geocode: ranked candidates for a free-text address or place. */
  async geocode(q: string, opts: { limit?: number; near?: LatLng } = {}): Promise<GeocodeResult[]> {
    const params = new URLSearchParams({ q });
    if (opts.limit !== undefined) params.set('limit', String(opts.limit));
    if (opts.near) params.set('near', `${opts.near.lat},${opts.near.lng}`);
    return (await this.get<{ results: GeocodeResult[] }>(`/v1/geocode?${params}`, true)).results;
  }

  /** GET /v1/reverse: the nearest address or street, or null when none is near. */
  async reverseGeocode(lat: number, lng: number): Promise<ReverseGeocodeResult | null> {
    try {
      return (await this.get<{ result: ReverseGeocodeResult }>(`/v1/reverse?lat=${lat}&lng=${lng}`, true)).result;
    } catch (err) {
      if (err instanceof LocusClientError && err.code === 'NOT_FOUND' && err.status === 404 && !err.message.includes('not available')) return null;
      throw err;
    }
  }

  /** GET /v1/route: car routes under live traffic, best first. */
  route(p: RouteParams): Promise<RouteResponse> {
    const q = new URLSearchParams({ from: `${p.from.lat},${p.from.lng}`, to: `${p.to.lat},${p.to.lng}` });
    if (p.via && p.via.length > 0) q.set('via', p.via.map((v) => `${v.lat},${v.lng}`).join(';'));
    const avoid = Object.entries(p.avoid ?? {})
      .filter(([, v]) => v !== undefined && v !== false)
      .map(([k, v]) => (v === true || v === 1 ? k : `${k}:${v}`));
    if (avoid.length > 0) q.set('avoid', avoid.join(','));
    if (p.alternatives) q.set('alternatives', String(p.alternatives));
    return this.get(`/v1/route?${q}`);
  }

  private async get<T>(path: string, auth = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth) headers.authorization = `Bearer ${await this.token()}`;
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = setTimeout(() => controller?.abort(), this.timeoutMs);
    let res;
    try {
      res = await this.fetchFn(`${this.base()}${path}`, { headers, ...(controller ? { signal: controller.signal } : {}) });
    } catch (err) {
      const timedOut = controller?.signal.aborted === true;
      throw new LocusClientError(timedOut ? 'TIMEOUT' : 'HTTP', timedOut ? `no HTTP answer within ${this.timeoutMs} ms` : `HTTP request failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new LocusClientError('HTTP', `HTTP ${res.status} without a JSON body`, undefined, res.status);
    }
    if (!res.ok) {
      const e = (body as { error?: { code?: unknown; message?: string; details?: Record<string, unknown> } }).error;
      if (e && typeof e.code === 'string') throw LocusClientError.fromServer({ code: e.code, message: e.message, details: e.details }, res.status);
      throw new LocusClientError('HTTP', `HTTP ${res.status}`, undefined, res.status);
    }
    return body as T;
  }
}
