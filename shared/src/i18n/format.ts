import { IntlMessageFormat } from 'intl-messageformat';
import type { LanguageCode } from './languages';
import { messageAt, type MessageKey, type Messages, type MessageValues } from './messages';

export type Translate = (key: MessageKey, values?: MessageValues) => string;

/**
 * Formats ICU messages ("{count, plural, one {# person} other {# people}}") in one language,
 * falling back to the base messages for a key the language lacks. Compiled formats are kept.
 */
export function createTranslator(language: LanguageCode, messages: Messages, fallback: Messages = messages): Translate {
  const compiled = new Map<string, IntlMessageFormat>();
  return (key, values) => {
    let format = compiled.get(key);
    if (!format) {
      const own = messageAt(messages, key);
      const source = own ?? messageAt(fallback, key) ?? key;
      format = new IntlMessageFormat(source, own === undefined ? 'en' : language);
      compiled.set(key, format);
    }
    return String(format.format(values));
  };
}
