import { z } from 'zod';
import { Id, Tag, text } from './common';
import { ContactCardBody } from './contacts';
import { LanguageCode } from '../i18n/languages';

const Tags = z.array(Tag).max(5, 'pick at most 5');

export const IntentBody = z.object({
  seeks: Tags.describe("Topic ids the person looks for (either of a topic's labels is accepted too)"),
  offers: Tags.describe("Topic ids the person offers (either of a topic's labels is accepted too)"),
  interests: z.array(Tag).max(8, 'pick at most 8'),
  askMeAbout: text(140).default(''),
  firstTime: z.boolean().optional(),
  hostOptIn: z.boolean(),
  /** An explicit choice: the kiosk offers yes and no, never a pre-ticked box. */
  showOnScreen: z.boolean(),
  /**
   * What to share when both say yes, asked in the same step (nothing pre-ticked). Taken only
   * from the person themselves (their page, or the kiosk they stand at); absent leaves the
   * contact card as it is.
   */
  share: ContactCardBody.optional(),
  /** The language the person chose at the kiosk (one of the event's): their page and mails follow it. Absent leaves it as it is. */
  language: LanguageCode.optional(),
});
export type IntentBody = z.input<typeof IntentBody>;

export const Intent = z.object({
  attendeeId: Id,
  seeks: z.array(z.string()),
  offers: z.array(z.string()),
  interests: z.array(z.string()),
  askMeAbout: z.string(),
  hostOptIn: z.boolean(),
  showOnScreen: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Intent = z.infer<typeof Intent>;
