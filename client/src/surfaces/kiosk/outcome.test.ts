import { describe, expect, it } from 'vitest';
import type { CheckinOutcome } from '@edgewise/shared';
import { describeResult, withoutHeading } from './outcome';

function anOutcome(overrides: Partial<CheckinOutcome> = {}): CheckinOutcome {
  return {
    status: 'ok',
    reason: 'first_entry',
    message: "Welcome, Ana! You're checked in.",
    checkinId: '00000000-0000-4000-8000-000000000001',
    nonce: 'nonce-0001',
    type: 'entry',
    scannedAt: '2026-11-25T18:00:00.000Z',
    receivedAt: '2026-11-25T18:00:00.100Z',
    replayed: false,
    flagged: false,
    attendee: { id: '00000000-0000-4000-8000-000000000002', name: 'Ana Sousa', firstTime: false, hasIntent: false },
    ...overrides,
  };
}

describe('describeResult', () => {
  it('welcomes a checked-in person by name and offers the intent form', () => {
    const sut = describeResult({ kind: 'outcome', outcome: anOutcome() }, 'Climate Tech Night');
    expect(sut.heading).toBe('Welcome, Ana Sousa!');
    expect(sut.tone).toBe('ok');
    expect(sut.canEditIntent).toBe(true);
  });

  it('welcomes a first-timer to their first edition of the event', () => {
    const outcome = anOutcome({ attendee: { id: '00000000-0000-4000-8000-000000000002', name: 'Ana Sousa', firstTime: true, hasIntent: false } });
    expect(describeResult({ kind: 'outcome', outcome }, 'Climate Tech Night').detail).toBe('Welcome to your first Climate Tech Night!');
  });

  it('is friendly to someone already in, and still lets them edit their intent', () => {
    const sut = describeResult({ kind: 'outcome', outcome: anOutcome({ status: 'already_checked_in', reason: 'already_present' }) }, 'X');
    expect(sut.heading).toBe('You’re already checked in, Ana Sousa');
    expect(sut.canEditIntent).toBe(true);
  });

  it("names each refusal in its heading, explains with the server's message, and offers no intent form", () => {
    const refusals = ['unknown_token', 'revoked', 'wrong_event', 'event_closed', 'event_not_open'] as const;
    const headings = new Set<string>();
    for (const status of refusals) {
      const sut = describeResult({ kind: 'outcome', outcome: anOutcome({ status, reason: status, message: `msg ${status}`, attendee: null }) }, 'X');
      headings.add(sut.heading);
      expect(sut.detail).toBe(`msg ${status}`);
      expect(sut.canEditIntent).toBe(false);
      expect(sut.icon).not.toBe('✓');
    }
    expect(headings.size).toBe(refusals.length);
  });

  it('does not repeat the heading as the first sentence of the explanation', () => {
    const message = "We don't recognise this ticket. Try again, search your name, or ask at the desk.";
    const sut = describeResult({ kind: 'outcome', outcome: anOutcome({ status: 'unknown_token', reason: 'unknown_token', message, attendee: null }) }, 'X');
    expect(sut.heading).toBe('We don’t recognise this ticket');
    expect(sut.detail).toBe('Try again, search your name, or ask at the desk.');
    expect(withoutHeading('This ticket was replaced. Use the newest one.', "We don't recognise this ticket")).toBe('This ticket was replaced. Use the newest one.');
  });

  it('points an unknown ticket to the name search', () => {
    const sut = describeResult({ kind: 'outcome', outcome: anOutcome({ status: 'unknown_token', reason: 'unknown_token', attendee: null }) }, 'X');
    expect(sut.suggestNameSearch).toBe(true);
  });

  it('never tells an offline guest they are in when the kiosk has no list to check the ticket with', () => {
    const sut = describeResult({ kind: 'queued' }, 'X');
    expect(sut.heading).toBe('We can’t check your ticket right now');
    expect(sut.detail).toMatch(/show your ticket to a member of staff/);
    expect(sut.tone).toBe('warn');
  });

  it('words an offline decision as the server would, without the intent step', () => {
    const welcome = describeResult({ kind: 'offline', decision: { status: 'ok', reason: 'first_entry', message: '', effective: true, attendee: { id: 'a', firstName: 'Ana' } } }, 'X');
    expect(welcome).toMatchObject({ tone: 'ok', heading: 'Welcome, Ana!', canEditIntent: false });
    const refused = describeResult({ kind: 'offline', decision: { status: 'unknown_token', reason: 'unknown_token', message: 'M', effective: false, attendee: null } }, 'X');
    expect(refused.heading).toBe(describeResult({ kind: 'outcome', outcome: anOutcome({ status: 'unknown_token', reason: 'unknown_token', message: 'M', attendee: null }) }, 'X').heading);
    expect(refused.detail).toBe('M');
  });

  it('says plainly when the scanned code is not a ticket', () => {
    expect(describeResult({ kind: 'not_a_ticket' }, 'X').heading).toBe('That code is not an Edgewise ticket');
  });
});
