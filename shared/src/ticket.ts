/**
 * Reads a ticket secret out of whatever a scanner produced: the bare secret, or a link
 * carrying it (`https://host/t/SECRET`, `...?t=SECRET`, `...#t=SECRET`). Handheld scanners
 * add whitespace and sometimes a keyboard-layout-mangled prefix, so this is lenient about
 * the wrapping and strict about the secret. Returns null when there is no secret to read.
 */
const secretPattern = /^[A-Za-z0-9_-]{22,64}$/;

export function parseTicketText(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 512) return null;
  if (secretPattern.test(text)) return text;
  const fromPath = /\/t\/([A-Za-z0-9_-]{22,64})(?:[/?#]|$)/.exec(text);
  if (fromPath?.[1]) return fromPath[1];
  const fromParam = /[?#&]t=([A-Za-z0-9_-]{22,64})(?:[&#]|$)/.exec(text);
  if (fromParam?.[1]) return fromParam[1];
  return null;
}

export function ticketUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/t/${secret}`;
}
