import { ApiError } from './api';
import { translate } from './i18n';

/** One validation issue as the API reports it in `details` (zod issues, flattened). */
interface Issue {
  path: string;
  message: string;
}

const isIssue = (x: unknown): x is Issue =>
  typeof x === 'object' && x !== null && typeof (x as Issue).path === 'string' && typeof (x as Issue).message === 'string';

/**
 * Per-field messages from a `validation_failed` (or `conflict`) answer, keyed by the
 * field's path (`email`, `settings.topics.2.seekLabel`), first message per field. Forms show
 * them beside the input they concern.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return {};
  const out: Record<string, string> = {};
  for (const issue of err.details) {
    if (isIssue(issue) && !(issue.path in out)) out[issue.path] = issue.message;
  }
  return out;
}

/** The first message for a field or anything beneath it (`settings.topics` covers `.2.seekLabel`). */
export function errorUnder(errors: Record<string, string>, prefix: string): string | undefined {
  if (errors[prefix]) return errors[prefix];
  const key = Object.keys(errors).find((k) => k.startsWith(`${prefix}.`));
  return key ? errors[key] : undefined;
}

/** What to tell people about any failure: the server's message when there is one. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return translate('common.somethingWrong');
}
