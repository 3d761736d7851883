import { describe, expect, it } from 'vitest';
import { messageFor, type CheckinList } from '@edgewise/shared';
import { decideOffline, listAge, mergeList, noteOfflineScan, type LocalList } from './checkinList';

const eventId = '00000000-0000-4000-8000-000000000001';
const ana = '00000000-0000-4000-8000-0000000000a1';
const bo = '00000000-0000-4000-8000-0000000000b2';
const t0 = Date.parse('2026-11-25T18:00:00Z');
const at = (min: number) => new Date(t0 + min * 60_000);

function aList(overrides: Partial<CheckinList> = {}): CheckinList {
  return {
    eventId,
    eventStatus: 'open',
    full: true,
    cursor: at(0).toISOString(),
    tickets: [
      { digest: 'd-ana', attendeeId: ana, firstName: 'Ana', revoked: false },
      { digest: 'd-bo-old', attendeeId: bo, firstName: 'Bo', revoked: true },
      { digest: 'd-bo', attendeeId: bo, firstName: 'Bo', revoked: false },
    ],
    presence: [],
    flags: [],
    ...overrides,
  };
}

describe('decideOffline', () => {
  const sut = (list: LocalList, digest: string, min = 10) => decideOffline(list, digest, 'entry', at(min));
  const kept = () => mergeList(null, aList(), at(0).getTime());

  it('refuses an unknown and a revoked ticket with the words the server uses, naming nobody', () => {
    expect(sut(kept(), 'd-nobody')).toEqual({ status: 'unknown_token', reason: 'unknown_token', message: messageFor('unknown_token', null), effective: false, attendee: null });
    expect(sut(kept(), 'd-bo-old')).toMatchObject({ status: 'revoked', message: messageFor('revoked', null), attendee: null });
  });

  it('welcomes a valid ticket by first name, then says "already in" once the kiosk noted the entry', () => {
    const first = sut(kept(), 'd-ana');
    expect(first).toMatchObject({ status: 'ok', reason: 'first_entry', effective: true, attendee: { id: ana, firstName: 'Ana' } });
    expect(first.message).toBe("Welcome, Ana! You're checked in.");
    const after = noteOfflineScan(kept(), ana, 'entry', at(10).toISOString());
    expect(sut(after, 'd-ana', 12)).toMatchObject({ status: 'already_checked_in', reason: 'already_present', effective: false });
  });

  it('knows who was in from the list, and a closed event refuses everyone', () => {
    const withAna = mergeList(null, aList({ presence: [{ attendeeId: ana, type: 'entry', scannedAt: at(1).toISOString(), receivedAt: at(1).toISOString() }] }), t0);
    expect(sut(withAna, 'd-ana')).toMatchObject({ status: 'already_checked_in' });
    expect(sut(mergeList(null, aList({ eventStatus: 'closed' }), t0), 'd-ana')).toMatchObject({ status: 'event_closed', attendee: null });
  });
});

describe('mergeList', () => {
  it('adds changes to the kept list, and a full list replaces it', () => {
    const kept = mergeList(null, aList(), t0);
    const changes = mergeList(kept, aList({ full: false, cursor: 'c2', tickets: [{ digest: 'd-ana', attendeeId: ana, firstName: 'Ana', revoked: true }] }), t0 + 60_000);
    expect(changes.tickets['d-ana']?.revoked).toBe(true);
    expect(changes.tickets['d-bo']).toBeDefined();
    expect(changes.cursor).toBe('c2');
    const replaced = mergeList(changes, aList({ tickets: [] }), t0 + 120_000);
    expect(replaced.tickets).toEqual({});
  });

  it('keeps an offline entry newer than the server knows of', () => {
    const kept = noteOfflineScan(mergeList(null, aList(), t0), ana, 'entry', at(10).toISOString());
    const merged = mergeList(kept, aList({ full: false, presence: [{ attendeeId: ana, type: 'exit', scannedAt: at(5).toISOString(), receivedAt: at(5).toISOString() }] }), t0);
    expect(merged.presence[ana]?.type).toBe('entry');
  });
});

describe('listAge', () => {
  it('says how old the list is and warns past ten minutes', () => {
    const list = mergeList(null, aList(), t0);
    expect(listAge(list, t0 + 30_000)).toEqual({ minutes: 0, stale: false });
    expect(listAge(list, t0 + 4 * 60_000)).toEqual({ minutes: 4, stale: false });
    expect(listAge(list, t0 + 11 * 60_000)).toEqual({ minutes: 11, stale: true });
    expect(listAge(null, t0).stale).toBe(true);
  });
});
