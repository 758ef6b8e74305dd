// A small client for the admin API: bearer token, JSON in and out, the SPEC error body turned into a
// one-line message.
import { CliError } from './errors.js';

export interface ApiResponse<T> {
  status: number;
  body: T;
  etag: string | null;
}

interface ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  details?: unknown;
}

/** Thrown for any non-2xx answer; `body` is the SPEC error body when the server sent one. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    what: string,
  ) {
    super(
      `${what}: ${status} ${body.error ?? ''}${body.message ? `: ${body.message}` : ''}`.trim(),
    );
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is with this content type instead of JSON. */
  rawBody?: { contentType: string; text: string };
  headers?: Record<string, string>;
  /** The HTTP statuses the caller handles itself instead of an ApiError. */
  accept?: number[];
}

export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string | null,
  ) {}

  async request<T>(
    method: string,
    route: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.rawBody) {
      headers['content-type'] = options.rawBody.contentType;
      body = options.rawBody.text;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(`${this.url}${route}`, { method, headers, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Cannot reach ${this.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { message: text.slice(0, 200) };
      }
    }
    if (!response.ok && !(options.accept ?? []).includes(response.status)) {
      if (response.status === 401)
        throw new CliError(
          `${this.url} refused the admin token (401): run corsplane login or set CORSPLANE_TOKEN`,
        );
      throw new ApiError(response.status, (parsed ?? {}) as ErrorBody, `${method} ${route}`);
    }
    return { status: response.status, body: parsed as T, etag: response.headers.get('etag') };
  }
}

/** `"7"` → 7; null when the header is missing or not a version. */
export function versionOfEtag(etag: string | null): number | null {
  if (etag === null) return null;
  const bare = etag.replace(/^W\//, '').replace(/"/g, '');
  const version = Number(bare);
  // 0 is a version too: the platform baseline before its first save (ETag "0").
  return Number.isInteger(version) && version >= 0 && bare !== '' ? version : null;
}

/** Percent-encodes a tenant slug for a path segment. */
export function tenantPath(slug: string, rest = ''): string {
  return `/v1/tenants/${encodeURIComponent(slug)}${rest}`;
}
