import { describe, expect, it } from 'vitest';
import { escapeHtml, formatEventDate, nameSizeClass, renderBadgesPage, visualLength, type Badge } from './badges';

const event = { name: 'Climate Tech Night', startsAt: new Date('2026-11-25T17:00:00Z'), timeZone: 'Europe/Lisbon', venue: 'LX Factory' };
const aBadge = (o: Partial<Badge> = {}): Badge => ({ name: 'Ana Sousa', company: 'Tidewater', role: 'Designer', firstTime: false, qrSvg: '<svg viewBox="0 0 1 1"></svg>', ...o });

describe('escapeHtml', () => {
  it('escapes everything that could open a tag or close an attribute', () => {
    expect(escapeHtml(`<b onclick="x">'&'</b>`)).toBe('&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
  });
});

describe('name sizes', () => {
  it('counts East Asian characters and emoji as two letters wide', () => {
    expect(visualLength('Ana')).toBe(3);
    expect(visualLength('山田')).toBe(4);
    expect(visualLength('한국')).toBe(4);
    expect(visualLength('Bo 🎉')).toBe(5);
  });

  it('shrinks the type as names get longer', () => {
    expect(nameSizeClass('Ana Sousa')).toBe('name-xl');
    expect(nameSizeClass('Beatriz Costa Lima')).toBe('name-l');
    expect(nameSizeClass('Maria Fernanda Albuquerque')).toBe('name-m');
    expect(nameSizeClass('Maria Fernanda de Albuquerque e Vasconcelos')).toBe('name-s');
    expect(nameSizeClass('x'.repeat(51))).toBe('name-xs');
    expect(nameSizeClass('山田太郎')).toBe('name-xl');
    expect(nameSizeClass('山'.repeat(60))).toBe('name-xs');
  });
});

describe('formatEventDate', () => {
  it('shows the time on the venue clock', () => {
    expect(formatEventDate(new Date('2026-11-25T17:00:00Z'), 'Europe/Lisbon')).toBe('Wed 25 Nov 2026 · 17:00');
    expect(formatEventDate(new Date('2026-11-25T17:00:00Z'), 'America/New_York')).toBe('Wed 25 Nov 2026 · 12:00');
    expect(formatEventDate(new Date('2026-11-25T17:00:00Z'), 'Asia/Tokyo')).toBe('Thu 26 Nov 2026 · 02:00');
  });
});

describe('renderBadgesPage', () => {
  it('lays badges out four to an A4 sheet', () => {
    const html = renderBadgesPage(event, Array.from({ length: 9 }, (_, i) => aBadge({ name: `Guest ${i}` })));
    expect(html.match(/<div class="sheet">/g)).toHaveLength(3);
    expect(html.match(/<section class="badge">/g)).toHaveLength(9);
    expect(html).toContain('9 badges on 3 A4 pages');
    expect(html).toContain('@page { size: A4; margin: 10mm; }');
    expect(html).toMatch(/break-after: page/);
  });

  it('gives the QR at least 45 mm and labels it for screen readers', () => {
    const html = renderBadgesPage(event, [aBadge()]);
    const width = /\.qr \{[^}]*width: (\d+)mm/.exec(html)?.[1];
    expect(Number(width)).toBeGreaterThanOrEqual(45);
    expect(html).toContain('<svg role="img" aria-label="Check-in QR code" viewBox="0 0 1 1">');
  });

  it('adds the first-timer ribbon only for first-timers and leaves out empty company and role', () => {
    const html = renderBadgesPage(event, [aBadge({ firstTime: true, company: ' ', role: '' }), aBadge({ name: 'Bo' })]);
    expect(html.match(/First time here/g)).toHaveLength(1);
    expect(html.match(/class="company"/g)).toHaveLength(1);
    expect(html.match(/class="role"/g)).toHaveLength(1);
  });

  it('escapes every value it prints', () => {
    const html = renderBadgesPage({ ...event, name: 'A&B <Night>', venue: '"Hall"' }, [aBadge({ name: '<img src=x onerror=alert(1)>', company: 'R&D', role: "it's" })]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<title>Badges: A&amp;B &lt;Night&gt;</title>');
    expect(html).toContain('R&amp;D');
    expect(html).toContain('it&#39;s');
    expect(html).toContain('&quot;Hall&quot;');
  });

  it('needs no scripts or outside assets', () => {
    const html = renderBadgesPage(event, [aBadge()]);
    expect(html).not.toMatch(/<script|<link|@import|url\(/);
  });

  it('says when there is nothing to print', () => {
    const html = renderBadgesPage(event, []);
    expect(html).toContain('No badges to print');
    expect(html).not.toContain('class="sheet"');
  });
});
