import { reactive } from 'vue';

export interface Notice {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}

/** Short-lived messages about actions that have no form of their own to show them in. */
export const notices = reactive<Notice[]>([]);
let seq = 0;

export function notify(text: string, kind: Notice['kind'] = 'ok', ms = kind === 'error' ? 8000 : 4000): void {
  const id = ++seq;
  notices.push({ id, kind, text });
  setTimeout(() => dismissNotice(id), ms);
}

export function dismissNotice(id: number): void {
  const i = notices.findIndex((n) => n.id === id);
  if (i >= 0) notices.splice(i, 1);
}
