import { describe, expect, it } from 'vitest';
import { invitationMail } from './mail';

const input = { inviter: 'Owen <Owner>', role: 'door' as const, url: 'https://edgewise.example/dashboard/invite?code=C0DE', expiresAt: new Date('2026-12-08T09:30:00Z') };

describe('the team invitation mail', () => {
  it('says who invites, as what, and until when, in English by default', () => {
    const sut = invitationMail(input);
    expect(sut.subject).toBe('Owen <Owner> invites you to the Edgewise team');
    expect(sut.text).toContain('Owen <Owner> has invited you to join their team on Edgewise as door staff.');
    expect(sut.text).toContain('until Tue, 08 Dec 2026 09:30:00 GMT');
    expect(sut.html).toContain('<a href="https://edgewise.example/dashboard/invite?code=C0DE">Accept the invitation</a> to choose your name and password.');
    expect(sut.html).not.toContain('<Owner>');
  });

  it('is written in the inviter’s dashboard language', () => {
    const de = invitationMail({ ...input, language: 'de' });
    expect(de.subject).toBe('Owen <Owner> lädt Sie ins Edgewise-Team ein');
    expect(de.text).toContain('als Einlasspersonal.');
    expect(de.text).toContain('bis 8. Dezember 2026 um 09:30 UTC');
    expect(invitationMail({ ...input, language: 'ja', role: 'owner' }).text).toContain('オーナーとして招待されました');
  });
});
