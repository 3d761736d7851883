import { describe, expect, it } from 'vitest';
import { parseTicketText, ticketUrl } from './ticket';

const secret = 'Zm9vYmFyYmF6cXV4MTIzNDU2'; // 24 base64url characters

describe('parseTicketText', () => {
  it('reads a bare secret, trimming what a handheld scanner adds', () => {
    expect(parseTicketText(secret)).toBe(secret);
    expect(parseTicketText(`  ${secret}\r\n`)).toBe(secret);
  });

  it('reads the secret out of a ticket link', () => {
    expect(parseTicketText(`https://edgewise.example/t/${secret}`)).toBe(secret);
    expect(parseTicketText(`https://edgewise.example/t/${secret}/`)).toBe(secret);
    expect(parseTicketText(`https://edgewise.example/t/${secret}?utm=qr`)).toBe(secret);
    expect(parseTicketText(`https://edgewise.example/me?t=${secret}`)).toBe(secret);
    expect(parseTicketText(`https://edgewise.example/me?lang=pt&t=${secret}&x=1`)).toBe(secret);
    expect(parseTicketText(`https://edgewise.example/me#t=${secret}`)).toBe(secret);
  });

  it('reads a link built by ticketUrl back to its secret', () => {
    expect(parseTicketText(ticketUrl('https://edgewise.example/', secret))).toBe(secret);
  });

  it('survives a mangled prefix around the link', () => {
    expect(parseTicketText(`httpsÇ//edgewise.example/t/${secret}`)).toBe(secret);
  });

  it.each([
    ['empty text', ''],
    ['only whitespace', '   \n'],
    ['a secret too short', 'abc123'],
    ['a secret with other characters', 'Zm9vYmFy!mF6cXV4MTIzNDU2'],
    ['a link without a secret', 'https://edgewise.example/me'],
    ['a link whose secret is too short', 'https://edgewise.example/t/abc'],
    ['text far too long', `${secret}${'x'.repeat(600)}`],
    ['a path with the secret glued to more text', `https://edgewise.example/t/${secret}!!`],
    ['a secret inside a longer word', `prefix${'a'.repeat(70)}`],
  ])('refuses %s', (_label, text) => {
    expect(parseTicketText(text)).toBeNull();
  });
});
