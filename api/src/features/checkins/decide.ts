/**
 * The check-in rules live in `shared/` (the offline kiosk decides with the same ones); the
 * API's features import them from here.
 */
export {
  CONFIRMATION_TRIES,
  CONFIRMATION_WINDOW_MS,
  confirmationOf,
  confirmationRefusal,
  decidePresence,
  isPresenceOutcome,
  messageFor,
  offlineDisagrees,
  refusalFor,
  supersededEntry,
  type Decision,
  type LoggedScan,
  type TicketState,
} from '@edgewise/shared';
