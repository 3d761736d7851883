import type en from './locales/en';

/** Every message file has the shape of the English one: the same keys, all strings. */
type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof en>;

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
/** A message's dotted key ("kiosk.welcome.title"): a key no file has fails the typecheck. */
export type MessageKey = Leaves<Messages>;
/** Values for a message's `{placeholders}`. */
export type MessageValues = Record<string, string | number | Date>;

/** The message at a dotted key, or undefined. */
export function messageAt(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}
