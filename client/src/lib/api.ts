import type { ErrorCode } from '@edgewise/shared';
import { currentLanguage, translate } from './i18n';

/** An API error as the server named it: a code from the closed list and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** True when the server could not be reached at all (offline, DNS, refused). */
  get offline() {
    return this.code === 'network';
  }
}

export interface RequestOptions {
  /** A paired device's bearer token. */
  deviceToken?: string | null;
  /** The organiser session's CSRF token, sent on writes. */
  csrf?: string | null;
  /** Raw text body (CSV) instead of JSON. */
  text?: string | Blob;
  /** The raw body's type (default `text/csv`): a photo is sent as `image/jpeg`. */
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Answer the body as a Blob (a file download) instead of parsing JSON. */
  blob?: boolean;
}

export async function apiRequest<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  // Text in answers (messages, errors) comes in the language the page speaks.
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage.value };
  if (opts.deviceToken) headers.authorization = `Bearer ${opts.deviceToken}`;
  if (opts.csrf && method !== 'GET') headers['x-csrf-token'] = opts.csrf;
  let payload: BodyInit | undefined;
  if (opts.text !== undefined) {
    headers['content-type'] = opts.contentType ?? 'text/csv';
    payload = opts.text;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 10_000);
  opts.signal?.addEventListener('abort', () => controller.abort());
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: controller.signal });
  } catch {
    throw new ApiError(0, 'network', translate('common.serverUnreachable'));
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  if (opts.blob && res.ok) return (await res.blob()) as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | null)?.error;
    if (res.status >= 502 && !err) throw new ApiError(res.status, 'network', translate('common.serverUnreachable'));
    throw new ApiError(res.status, err?.code ?? 'internal', err?.message ?? translate('common.requestFailed', { status: res.status }), err?.details);
  }
  return data as T;
}
