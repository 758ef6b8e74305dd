// The SDK's calls to the corsplane service (SPEC §5): the effective policy by ETag, the change
// stream, and the batched refusal counts. Every call carries the key; none is made per request.
import type { ResolvePolicyResponse } from '@corsplane/contracts';

/** The service answered that the key or the tenant is not (or no longer) valid: deny, do not retry soon. */
export class ServiceRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceRefusal';
  }
}

export type PolicyFetch =
  { status: 'changed'; body: ResolvePolicyResponse; etag: string } | { status: 'unchanged' };

export interface ServiceClient {
  /** `GET /resolve/policy`; `unchanged` on 304. Throws ServiceRefusal on 400/401/403/404, Error otherwise. */
  policy(tenant: string | undefined, etag: string | undefined): Promise<PolicyFetch>;
  /** `GET /resolve/changes`: the open stream's response (status checked), or a thrown error. */
  changes(tenant: string | undefined, signal: AbortSignal): Promise<Response>;
  /** `POST /resolve/events` with one batch. */
  postEvents(body: unknown): Promise<void>;
}

export function serviceClient(options: {
  serviceUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}): ServiceClient {
  const base = options.serviceUrl.replace(/\/+$/, '');
  const authorization = `Bearer ${options.apiKey}`;
  const fetchImpl = options.fetch;
  const query = (tenant: string | undefined) =>
    tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`;

  return {
    async policy(tenant, etag) {
      const headers: Record<string, string> = { authorization, accept: 'application/json' };
      if (etag !== undefined) headers['if-none-match'] = etag;
      const response = await fetchImpl(`${base}/resolve/policy${query(tenant)}`, {
        headers,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 'unchanged' };
      }
      await refuseUnlessOk(response, '/resolve/policy');
      const body = (await response.json()) as ResolvePolicyResponse;
      if (
        typeof body?.tenant !== 'string' ||
        typeof body.version !== 'number' ||
        typeof body.policy !== 'object' ||
        body.policy === null
      )
        throw new Error('corsplane /resolve/policy answered with an unexpected body');
      return { status: 'changed', body, etag: response.headers.get('etag') ?? `"${body.version}"` };
    },

    async changes(tenant, signal) {
      const response = await fetchImpl(`${base}/resolve/changes${query(tenant)}`, {
        headers: { authorization, accept: 'text/event-stream' },
        signal,
      });
      await refuseUnlessOk(response, '/resolve/changes');
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        await response.body?.cancel();
        throw new Error('corsplane /resolve/changes did not answer with an event stream');
      }
      return response;
    },

    async postEvents(body) {
      const response = await fetchImpl(`${base}/resolve/events`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      const message = `corsplane /resolve/events answered ${response.status}`;
      // A batch the service refuses as such (malformed, too large) would be refused again: not retried.
      if (response.status === 400 || response.status === 413)
        throw new ServiceRefusal(response.status, message);
      if (!response.ok) throw new Error(message);
    },
  };
}

/** 2xx passes; the service's verdicts on the key or tenant become ServiceRefusal; anything else an outage. */
async function refuseUnlessOk(response: Response, path: string): Promise<void> {
  if (response.ok) return;
  const text = await response.text().catch(() => '');
  let message = `corsplane ${path} answered ${response.status}`;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message += `: ${body.message}`;
  } catch {
    // not the SPEC error body (a proxy's page): the status says enough
  }
  if (
    response.status === 400 ||
    response.status === 401 ||
    response.status === 403 ||
    response.status === 404
  )
    throw new ServiceRefusal(response.status, message);
  throw new Error(message);
}
