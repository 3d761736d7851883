import { describe, expect, it } from 'vitest';
import { pairingAlphabet } from '@edgewise/shared';
import { generatePairingCode } from './service';

const tokenOf = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

describe('generatePairingCode', () => {
  it('maps bytes onto the alphabet', () => {
    const sut = generatePairingCode(() => tokenOf([0, 1, 2, 30, 31, 32]));
    expect(sut).toBe(`${pairingAlphabet[0]}${pairingAlphabet[1]}${pairingAlphabet[2]}${pairingAlphabet[30]}${pairingAlphabet[0]}${pairingAlphabet[1]}`);
  });

  it('drops the bytes that would make some characters likelier, and asks for more', () => {
    const batches = [[248, 249, 255, 5], [250, 6, 7, 8, 9, 10]];
    let call = 0;
    const sut = generatePairingCode(() => tokenOf(batches[call++] ?? []));
    expect(sut).toBe([5, 6, 7, 8, 9, 10].map((i) => pairingAlphabet[i]).join(''));
    expect(call).toBe(2);
  });

  it('gives every character about the same share over many codes', () => {
    let state = 12345;
    const bytes = (n: number) => tokenOf(Array.from({ length: n }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) >> 23));
    const tally = new Map<string, number>();
    for (let i = 0; i < 5000; i++) for (const ch of generatePairingCode(bytes)) tally.set(ch, (tally.get(ch) ?? 0) + 1);
    expect(tally.size).toBe(pairingAlphabet.length);
    const expected = (5000 * 6) / pairingAlphabet.length;
    for (const n of tally.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });
});
