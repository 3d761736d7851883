/**
 * The printable badge sheet: one self-contained HTML page (inline CSS, inline SVG QR
 * codes, no scripts, no external assets) that prints four A6-ish badges per A4 page from
 * any browser. Pure: the caller brings the QR markup.
 */

export interface BadgeEvent {
  name: string;
  startsAt: Date;
  timeZone: string;
  venue: string;
}

export interface Badge {
  name: string;
  company: string;
  role: string;
  firstTime: boolean;
  /** SVG markup made by the `qrcode` package from the ticket link. */
  qrSvg: string;
}

const BADGES_PER_SHEET = 4;

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);

// East Asian wide characters and emoji take about twice the width of a Latin letter.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

/** Roughly how many Latin letters wide a name prints. */
export function visualLength(s: string): number {
  let n = 0;
  for (const ch of s) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/**
 * Names print as large as they fit: a short first name reads from across the room, a
 * long double-barrelled one still fits the badge on two or three lines.
 */
export function nameSizeClass(name: string): string {
  const n = visualLength(name);
  if (n <= 12) return 'name-xl';
  if (n <= 20) return 'name-l';
  if (n <= 32) return 'name-m';
  if (n <= 50) return 'name-s';
  return 'name-xs';
}

/** "Thu 26 Nov 2026 · 02:00", as the clock on the venue's wall reads it. */
export function formatEventDate(startsAt: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(startsAt);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')} · ${part('hour')}:${part('minute')}`;
}

const styles = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif;
  color: #111; background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.sheet {
  width: 190mm; height: 277mm;
  display: grid; grid-template-columns: 95mm 95mm; grid-template-rows: 138.5mm 138.5mm;
  break-after: page; page-break-after: always;
}
.sheet:last-of-type { break-after: auto; page-break-after: auto; }
.badge {
  position: relative; overflow: hidden;
  display: flex; flex-direction: column; align-items: center; text-align: center;
  padding: 6mm 6mm 5mm;
  border: 0.2mm dashed #bbb; /* cutting guide */
  break-inside: avoid; page-break-inside: avoid;
}
.event { font-size: 10pt; font-weight: 600; line-height: 1.25; }
.when { font-size: 8.5pt; color: #444; margin-top: 0.5mm; }
.ribbon {
  margin-top: 3mm; padding: 1.2mm 5mm; border-radius: 3mm;
  background: #0b7a5a; color: #fff; font-size: 10pt; font-weight: 700; letter-spacing: 0.02em;
}
.name { margin: 5mm 0 2mm; font-weight: 800; line-height: 1.08; overflow-wrap: anywhere; hyphens: auto; max-width: 100%; }
.name-xl { font-size: 32pt; }
.name-l { font-size: 26pt; }
.name-m { font-size: 21pt; }
.name-s { font-size: 16pt; }
.name-xs { font-size: 12pt; }
.company { font-size: 12.5pt; font-weight: 600; line-height: 1.2; overflow-wrap: anywhere; max-width: 100%; }
.role { font-size: 11pt; color: #444; line-height: 1.2; margin-top: 0.8mm; overflow-wrap: anywhere; max-width: 100%; }
/* 54 mm with the QR's own 4-module quiet zone reads from arm's length on a cheap camera. */
.qr { margin-top: auto; width: 54mm; height: 54mm; flex: none; }
.qr svg { display: block; width: 100%; height: 100%; }
.scan { font-size: 7.5pt; color: #555; margin-top: 1mm; }
.empty { padding: 20mm; font-size: 14pt; }
@media screen {
  body { background: #e8e8e8; }
  .sheet { margin: 10mm auto; background: #fff; box-shadow: 0 1mm 4mm rgba(0, 0, 0, 0.2); }
  .note { max-width: 190mm; margin: 8mm auto 0; font-size: 11pt; color: #333; }
}
@media print { .note { display: none; } }
`;

function badgeHtml(badge: Badge, eventName: string, when: string): string {
  const company = badge.company.trim();
  const role = badge.role.trim();
  return [
    '<section class="badge">',
    `<div class="event">${escapeHtml(eventName)}</div>`,
    `<div class="when">${escapeHtml(when)}</div>`,
    badge.firstTime ? '<div class="ribbon">First time here</div>' : '',
    `<h2 class="name ${nameSizeClass(badge.name)}">${escapeHtml(badge.name)}</h2>`,
    company ? `<div class="company">${escapeHtml(company)}</div>` : '',
    role ? `<div class="role">${escapeHtml(role)}</div>` : '',
    `<div class="qr">${badge.qrSvg.replace('<svg ', '<svg role="img" aria-label="Check-in QR code" ')}</div>`,
    '<div class="scan">Scan at the entrance</div>',
    '</section>',
  ].join('');
}

export function renderBadgesPage(event: BadgeEvent, badges: Badge[]): string {
  const when = formatEventDate(event.startsAt, event.timeZone) + (event.venue.trim() ? ` · ${event.venue.trim()}` : '');
  const sheets: string[] = [];
  for (let i = 0; i < badges.length; i += BADGES_PER_SHEET) {
    const cells = badges.slice(i, i + BADGES_PER_SHEET).map((b) => badgeHtml(b, event.name, when));
    sheets.push(`<div class="sheet">${cells.join('\n')}</div>`);
  }
  const count = badges.length === 1 ? '1 badge' : `${badges.length} badges`;
  const body =
    badges.length === 0
      ? '<p class="empty">No badges to print: nobody on the guest list has a live ticket.</p>'
      : `<p class="note">${count} on ${sheets.length} A4 page${sheets.length === 1 ? '' : 's'}. Print at 100% scale (not "fit to page") so the QR codes keep their size; cut along the dashed lines.</p>\n${sheets.join('\n')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Badges: ${escapeHtml(event.name)}</title>
<style>${styles}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
