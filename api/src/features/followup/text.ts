/**
 * The content-line rules vCard (RFC 6350 §3.2–3.4) and iCalendar (RFC 5545 §3.1, §3.3.11)
 * share: escaped text values, CRLF line ends, and lines folded at 75 octets.
 */

const MAX_OCTETS = 75;
const encoder = new TextEncoder();

/**
 * Escapes a TEXT value: backslash, comma, semicolon and line breaks. Other control
 * characters have no place in a content line and are dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n|\u2028|\u2029/g, '\\n')
  );
}

/**
 * Folds one content line so no physical line exceeds 75 octets, each continuation starting
 * with one space. Splits fall between characters, never inside a UTF-8 sequence or a
 * surrogate pair, so every line stays valid UTF-8 on its own.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_OCTETS) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
      // The leading space of a continuation counts towards its 75 octets.
      limit = MAX_OCTETS - 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** Content lines into one document: folded, CRLF-terminated. */
export function contentLines(lines: readonly string[]): string {
  return lines.map((l) => `${foldLine(l)}\r\n`).join('');
}

/** `20261126T100000Z`: a UTC DATE-TIME. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
