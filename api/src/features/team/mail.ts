import { baseLanguage, type LanguageCode, type OrganiserRole } from '@edgewise/shared';
import type { MailMessage } from '../../deps';
import { formatDateTime, translator } from '../../i18n';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The invitation mail: who invites, as what, the link and until when it works, in the
 * inviter's dashboard language (the invitee has chosen none yet).
 */
export function invitationMail(input: { inviter: string | null; role: OrganiserRole; url: string; expiresAt: Date; language?: LanguageCode }): Pick<MailMessage, 'subject' | 'text' | 'html'> {
  const language = input.language ?? baseLanguage;
  const t = translator(language);
  const until = language === baseLanguage ? input.expiresAt.toUTCString() : `${formatDateTime(language, 'UTC', input.expiresAt, { dateStyle: 'long', timeStyle: 'short' })} UTC`;
  const inviter = input.inviter ?? t('mail.team.colleague');
  const invited = t('mail.team.invited', { inviter, role: input.role });
  const closing = t('mail.team.until', { until });
  const marker = '\u0000link\u0000';
  const accept = escapeHtml(t('mail.team.acceptHtml', { link: marker })).replace(marker, `<a href="${escapeHtml(input.url)}">${escapeHtml(t('mail.team.accept'))}</a>`);
  const text = [invited, '', t('mail.team.open'), input.url, '', closing].join('\n');
  const html = [`<p>${escapeHtml(invited)}</p>`, `<p>${accept}</p>`, `<p>${escapeHtml(closing)}</p>`].join('\n');
  return { subject: t('mail.team.subject', { inviter }), text, html };
}
