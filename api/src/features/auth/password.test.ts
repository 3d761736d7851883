import { describe, expect, it } from 'vitest';
import { dummyHash, hashPassword, verifyPassword } from './password';

const fast = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the password it hashed and refuses another', async () => {
    const sut = await hashPassword('correct horse battery', fast);
    expect(await verifyPassword('correct horse battery', sut)).toBe(true);
    expect(await verifyPassword('correct horse batterY', sut)).toBe(false);
  });

  it('stores scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hashPassword('same password', fast);
    const b = await hashPassword('same password', fast);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
  });

  it('uses the parameters stored with the hash, so old hashes keep working', async () => {
    const sut = await hashPassword('pässwörd ünïcode', { N: 2048, r: 4, p: 2 });
    expect(sut.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('pässwörd ünïcode', sut)).toBe(true);
  });

  it('treats unicode forms of the same password alike', async () => {
    const sut = await hashPassword('café-password', fast);
    expect(await verifyPassword('cafe\u0301-password', sut)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['missing parts', 'scrypt$1024$8$1$salt'],
    ['absurd cost', `scrypt$${2 ** 30}$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`],
    ['wrong key length', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
  ])('refuses a malformed stored hash (%s) instead of throwing', async (_label, stored) => {
    expect(await verifyPassword('whatever password', stored)).toBe(false);
  });

  it('has a dummy hash that matches no ordinary password', async () => {
    const sut = await dummyHash();
    expect(sut.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('', sut)).toBe(false);
    expect(await dummyHash()).toBe(sut);
  });
});
