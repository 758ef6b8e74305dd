import type { ApiIssue, ErrorBody } from '@corsplane/contracts';

/** A non-2xx answer of the API, with the SPEC §4 error body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    readonly headers: Headers,
  ) {
    super(body?.message ?? `The API answered ${status}`);
    this.name = 'ApiError';
  }

  get details(): ApiIssue[] {
    return this.body?.details ?? [];
  }
}

/** The fetch failed before any answer (API down, network). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The corsplane API cannot be reached. Check that it is running, then retry.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Do not trigger the global "session expired" redirect on 401 (the sign-in form itself). */
  allowUnauthenticated?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

type UnauthorizedListener = (error: ApiError) => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** The app registers one listener: a 401 anywhere sends the user to sign-in, then back. */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Same-origin JSON fetch: the session cookie rides along, errors become ApiError. */
export async function request<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e);
  }
  const text = res.status === 204 ? '' : await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, isErrorBody(parsed) ? parsed : null, res.headers);
    if (res.status === 401 && !options.allowUnauthenticated) unauthorizedListener?.(err);
    throw err;
  }
  return { data: parsed as T, headers: res.headers, status: res.status };
}

export async function api<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await request<T>(path, options)).data;
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && 'statusCode' in v && 'message' in v;
}

/** Path segments from user input are always encoded. */
export const seg = (s: string | number) => encodeURIComponent(String(s));

/** A short, human message for any error a query or mutation can throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return e.body?.message ?? 'You do not have permission to do this.';
    return e.body?.message ?? `The API answered ${e.status}.`;
  }
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}
