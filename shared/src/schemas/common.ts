import { z } from 'zod';

export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Human text typed by people: trimmed, no control characters, bounded. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

export const Name = text(120).pipe(z.string().min(1, 'is required'));
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Tag = text(40).pipe(z.string().min(1));
export const TagList = z.array(Tag).max(60);

export const EventIdParams = z.object({ eventId: Id });
export const AttendeeParams = z.object({ eventId: Id, attendeeId: Id });
