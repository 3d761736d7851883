/**
 * Messages between API nodes travel as JSON text (NOTIFY payloads are text). Socket.io
 * packets may carry binary parts, which JSON would turn into arrays of numbers and never
 * back: they travel as base64 under a marker key and come back as Buffers.
 */
const BINARY = '__edgewise_b64';

function replacer(this: unknown, key: string, value: unknown): unknown {
  // `value` went through Buffer#toJSON already; the holder still has the original.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof ArrayBuffer) return { [BINARY]: Buffer.from(raw).toString('base64') };
  if (ArrayBuffer.isView(raw)) return { [BINARY]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const encoded = (value as Record<string, unknown>)[BINARY];
    if (typeof encoded === 'string' && Object.keys(value).length === 1) return Buffer.from(encoded, 'base64');
  }
  return value;
}

export const encode = (value: unknown): string => JSON.stringify(value, replacer);

/** Parses what another node sent; `undefined` for anything that is not JSON. */
export function decode(text: string): unknown {
  try {
    return JSON.parse(text, reviver) as unknown;
  } catch {
    return undefined;
  }
}
