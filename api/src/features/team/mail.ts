import type { MailMessage } from '../../deps';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The invitation mail: who invites, as what, the link and until when it works. */
export function invitationMail(input: { inviter: string; role: string; url: string; expiresAt: Date }): Pick<MailMessage, 'subject' | 'text' | 'html'> {
  const until = input.expiresAt.toUTCString();
  const subject = `${input.inviter} invites you to the Edgewise team`;
  const text = [
    `${input.inviter} has invited you to join their team on Edgewise as ${input.role}.`,
    '',
    'Open this link to choose your name and password:',
    input.url,
    '',
    `The link works once, until ${until}. If you did not expect this mail, you can ignore it.`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(input.inviter)} has invited you to join their team on Edgewise as ${escapeHtml(input.role)}.</p>`,
    `<p><a href="${escapeHtml(input.url)}">Accept the invitation</a> to choose your name and password.</p>`,
    `<p>The link works once, until ${escapeHtml(until)}. If you did not expect this mail, you can ignore it.</p>`,
  ].join('\n');
  return { subject, text, html };
}
