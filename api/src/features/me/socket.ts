import { z } from 'zod';
import { AnswerSuggestion, AskToShare, ContactCardBody, CreateIntroductionBody, IntentBody, MarkMet, OnMyWay, PickMeetingPoint, SaveNote, SetMatchingOptOut, SetWhereIAm, type Ack } from '@edgewise/shared';
import type { FeatureContext, Io } from '../../context';
import { AppError } from '../../http/errors';
import { introduceAsHost } from '../introductions/service';
import { CommandBudget } from '../realtime/command-budget';
import { pickMeetingPoint, sayOnMyWay, setWhereIAm } from '../meeting/service';
import { answerSuggestion, askToShare, markMet, saveNote, setOptOut, updateContactCard, updateIntent, type Me, type Outcome } from './service';
import { buildMeSnapshot } from './snapshot';

type Socket = Parameters<Parameters<Io['on']>[1]>[0];
type Reply<R> = (res: Ack<R>) => void;

const SyncPayload = z.object({});

function problem(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'The payload is not valid.';
  const where = first.path.join('.');
  return where ? `${where}: ${first.message}` : first.message;
}

/**
 * The commands of an attendee's own page. Each acts only for the attendee the socket was
 * opened as (never for an id in the payload), validates its payload, answers with an ack,
 * and sends fresh lists to the rooms of the people a change concerns: the two people of a
 * pair, never anyone else. Each attendee has a budget of commands (see `CommandBudget`).
 */
export function registerMeSocket(io: Io, ctx: FeatureContext) {
  const db = ctx.deps.database.db;
  const budget = new CommandBudget();

  function command<S extends z.ZodType, R>(socket: Socket, name: string, schema: S, run: (me: Me, payload: z.output<S>) => Promise<Outcome<R>>) {
    return async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as Reply<R>;
      const { attendeeId, eventId } = socket.data;
      if (!attendeeId || !eventId) {
        return reply({ ok: false, error: { code: 'forbidden', message: "Only an attendee's own page can do this." } });
      }
      if (!budget.take(attendeeId)) {
        return reply({ ok: false, error: { code: 'rate_limited', message: 'Too many actions at once: wait a moment and try again.' } });
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: problem(parsed.error) } });
      let outcome: Outcome<R>;
      try {
        outcome = await run({ attendeeId, eventId }, parsed.data);
      } catch (err) {
        if (err instanceof AppError) return reply({ ok: false, error: { code: err.code, message: err.message } });
        ctx.deps.log({ level: 'error', msg: 'socket command failed', command: name, err: String(err) });
        return reply({ ok: false, error: { code: 'internal', message: 'Something went wrong: try again.' } });
      }
      // Sent before the ack, so a client holding the ack knows the rooms have been told.
      await ctx.realtime.attendeeListsChanged(eventId, outcome.notify);
      reply({ ok: true, data: outcome.data });
    };
  }

  const only = <T>(data: T): Outcome<T> => ({ data, notify: [] });

  io.on('connection', (socket) => {
    socket.on('me:sync', command(socket, 'me:sync', SyncPayload, async (me) => only(await buildMeSnapshot(db, me.eventId, me.attendeeId))));
    socket.on('suggestion:answer', command(socket, 'suggestion:answer', AnswerSuggestion, (me, p) => answerSuggestion(ctx, me, p)));
    socket.on('suggestion:met', command(socket, 'suggestion:met', MarkMet, (me, p) => markMet(ctx, me, p)));
    socket.on('note:save', command(socket, 'note:save', SaveNote, (me, p) => saveNote(ctx, me, p)));
    socket.on('intent:update', command(socket, 'intent:update', IntentBody, (me, p) => updateIntent(ctx, me, p)));
    socket.on('contact:update', command(socket, 'contact:update', ContactCardBody, (me, p) => updateContactCard(ctx, me, p)));
    socket.on('contact:ask', command(socket, 'contact:ask', AskToShare, (me, p) => askToShare(ctx, me, p)));
    socket.on('matching:opt-out', command(socket, 'matching:opt-out', SetMatchingOptOut, async (me, p) => only(await setOptOut(ctx, me, p))));
    socket.on('introduction:create', command(socket, 'introduction:create', CreateIntroductionBody, (me, p) => introduceAsHost(ctx, me, p)));
    socket.on('meeting:pick', command(socket, 'meeting:pick', PickMeetingPoint, (me, p) => pickMeetingPoint(ctx, me, p)));
    socket.on('meeting:on-my-way', command(socket, 'meeting:on-my-way', OnMyWay, (me, p) => sayOnMyWay(ctx, me, p)));
    socket.on('where-i-am:update', command(socket, 'where-i-am:update', SetWhereIAm, (me, p) => setWhereIAm(ctx, me, p)));
  });
}
