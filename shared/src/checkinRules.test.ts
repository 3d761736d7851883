import { describe, expect, it } from 'vitest';
import { decidePresence, messageFor, offlineDisagrees, refusalFor, supersededEntry, type LoggedScan } from './checkinRules';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 18, minute));
const scan = (type: 'entry' | 'exit', minute: number, receivedMinute = minute): LoggedScan => ({
  type,
  scannedAt: at(minute),
  receivedAt: at(receivedMinute),
});

describe('refusalFor', () => {
  it('lets a valid ticket through to an open event', () => {
    expect(refusalFor('open', 'valid')).toBeNull();
  });

  it.each([
    ['draft', 'valid', 'event_not_open'],
    ['closed', 'valid', 'event_closed'],
    ['closed', 'unknown', 'event_closed'],
    ['open', 'unknown', 'unknown_token'],
    ['open', 'revoked', 'revoked'],
    ['open', 'wrong_event', 'wrong_event'],
  ] as const)('event %s with a %s ticket is refused as %s', (event, ticket, reason) => {
    expect(refusalFor(event, ticket)).toEqual({ status: reason, reason, effective: false, flagged: false });
  });
});

describe('decidePresence', () => {
  it('lets a person in for the first time', () => {
    expect(decidePresence('entry', at(10), [])).toEqual({ status: 'ok', reason: 'first_entry', effective: true, flagged: false });
  });

  it('refuses a second entry while present', () => {
    expect(decidePresence('entry', at(12), [scan('entry', 10)])).toEqual({
      status: 'already_checked_in',
      reason: 'already_present',
      effective: false,
      flagged: false,
    });
  });

  it('lets a person out while present, and back in as a re-entry', () => {
    expect(decidePresence('exit', at(12), [scan('entry', 10)])).toMatchObject({ status: 'ok', reason: 'exit', effective: true });
    expect(decidePresence('entry', at(14), [scan('entry', 10), scan('exit', 12)])).toMatchObject({ status: 'ok', reason: 're_entry', effective: true });
  });

  it('refuses an exit of someone who is not in', () => {
    expect(decidePresence('exit', at(10), [])).toEqual({ status: 'not_checked_in', reason: 'not_present', effective: false, flagged: false });
    expect(decidePresence('exit', at(14), [scan('entry', 10), scan('exit', 12)])).toMatchObject({ status: 'not_checked_in', flagged: false });
  });

  it('judges a late upload by the log as it stood when it was scanned', () => {
    // Left at 12, back at 20: an exit scanned offline at 15 finds the person away.
    const log = [scan('entry', 10), scan('exit', 12), scan('entry', 20)];
    expect(decidePresence('exit', at(15), log)).toMatchObject({ status: 'not_checked_in', reason: 'not_present' });
  });

  it('flags an out-of-order entry made while the log says present', () => {
    const log = [scan('entry', 10), scan('exit', 20)];
    expect(decidePresence('entry', at(15), log)).toEqual({ status: 'already_checked_in', reason: 'already_present', effective: false, flagged: true });
  });

  it('makes an entry that came first the entry, and the later entry of the same ticket its flagged duplicate', () => {
    // Scanned in offline at 5, then again at 10 on another kiosk that uploaded first.
    const log = [{ ...scan('entry', 10), id: 'later', deviceId: 'south' }];
    expect(decidePresence('entry', at(5), log, 'north')).toEqual({ status: 'ok', reason: 'first_entry', effective: true, flagged: false, supersedes: 'later' });
    expect(supersededEntry).toEqual({ status: 'already_checked_in', reason: 'already_present', effective: false, flagged: true });
  });

  it('flags a second entry when its kiosk could not know of the first (another kiosk uploaded it later)', () => {
    const first = { ...scan('entry', 5, 30), id: 'first', deviceId: 'north' };
    expect(decidePresence('entry', at(10), [first], 'south')).toEqual({ status: 'already_checked_in', reason: 'already_present', effective: false, flagged: true });
    // Known in time, or scanned at the same kiosk: an ordinary second scan.
    expect(decidePresence('entry', at(40), [first], 'south')).toMatchObject({ status: 'already_checked_in', flagged: false });
    expect(decidePresence('entry', at(10), [first], 'north')).toMatchObject({ status: 'already_checked_in', flagged: false });
  });

  it('flags an out-of-order exit that puts two exits in a row', () => {
    expect(decidePresence('exit', at(15), [scan('entry', 10), scan('exit', 20)])).toMatchObject({ status: 'ok', reason: 'exit', flagged: true });
  });

  it('does not flag an out-of-order scan that fits between its neighbours', () => {
    // An exit at 15 was already flagged; the entry at 17 repairs the history before the exit at 20.
    const log = [scan('entry', 10), scan('exit', 15), scan('exit', 20)];
    expect(decidePresence('entry', at(17), log)).toEqual({ status: 'ok', reason: 're_entry', effective: true, flagged: false });
  });

  it('does not flag a scan received late that is still the newest', () => {
    const log = [scan('entry', 10, 11)];
    expect(decidePresence('exit', at(30), log)).toEqual({ status: 'ok', reason: 'exit', effective: true, flagged: false });
  });

  it('counts a logged scan at the same instant as earlier, and breaks its own ties by arrival', () => {
    expect(decidePresence('entry', at(10), [scan('entry', 10)])).toMatchObject({ status: 'already_checked_in', flagged: false });
    // Same scan time, the exit arrived after the entry: the person is out.
    const log = [scan('exit', 10, 12), scan('entry', 10, 11)];
    expect(decidePresence('entry', at(11), log)).toMatchObject({ status: 'ok', reason: 're_entry' });
  });
});

describe('offlineDisagrees', () => {
  it('flags an offline welcome the server refuses and an offline refusal the server admits, not two refusals', () => {
    expect(offlineDisagrees('ok', 'already_checked_in')).toBe(true);
    expect(offlineDisagrees('ok', 'revoked')).toBe(true);
    expect(offlineDisagrees('unknown_token', 'ok')).toBe(true);
    expect(offlineDisagrees('ok', 'ok')).toBe(false);
    expect(offlineDisagrees('unknown_token', 'wrong_event')).toBe(false);
    expect(offlineDisagrees('already_checked_in', 'ok')).toBe(false);
  });
});

describe('messageFor', () => {
  it('greets by first name and tells a refused guest what to do', () => {
    expect(messageFor('first_entry', 'Ana Sousa')).toBe("Welcome, Ana! You're checked in.");
    expect(messageFor('revoked', null)).toBe('This ticket was replaced. Ask at the desk for the new one.');
    expect(messageFor('unknown_token', null)).toMatch(/desk/);
  });
});
