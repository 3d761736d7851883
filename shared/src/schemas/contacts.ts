import { z } from 'zod';
import { text } from './common';

/**
 * What an attendee hands over when both say yes: their registered email (if `shareEmail`), a
 * phone number, a link. Nothing is shared until they choose it.
 */
export const ContactCardBody = z.object({
  shareEmail: z.boolean(),
  phone: text(40).pipe(z.string().regex(/^[0-9+()\-.\s]*$/, 'use digits, spaces and + ( ) - only')),
  link: text(200).pipe(z.union([z.literal(''), z.url({ protocol: /^https?$/ })])),
});
export type ContactCardBody = z.infer<typeof ContactCardBody>;
