import nodemailer from 'nodemailer';
import type { Mailer } from '../../deps';

/**
 * The SMTP mailer behind SMTP_URL (`smtp://user:pass@host:587`, `smtps://…`; nodemailer's
 * URL options such as `?pool=true` work too). nodemailer's own timeouts (2 min to connect,
 * 10 min of silence) end a hung send well within the follow-up claim's 15-minute lease.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    from,
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          content: a.content,
          contentType: a.contentType,
          ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}),
        })),
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => transport.close(),
  };
}

/** The From address when none is configured: the public host, so replies do not bounce off "localhost" needlessly. */
export function defaultFrom(publicUrl: string): string {
  let host = 'localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // A malformed PUBLIC_URL is reported elsewhere; the address stays generic.
  }
  return `Edgewise <edgewise@${host}>`;
}
