import { shallowRef } from 'vue';
import { translate } from './i18n';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

/** The question on screen, if any; a surface renders it as a modal dialog. */
export const pendingConfirm = shallowRef<ConfirmRequest | null>(null);

/**
 * Asks people to confirm a destructive action. Resolves false when they cancel or when
 * another question replaces this one.
 */
export function askConfirm(opts: { title: string; message: string; confirmLabel?: string; danger?: boolean }): Promise<boolean> {
  pendingConfirm.value?.resolve(false);
  return new Promise((resolve) => {
    pendingConfirm.value = {
      title: opts.title,
      message: opts.message,
      confirmLabel: opts.confirmLabel ?? translate('common.confirm'),
      danger: opts.danger ?? true,
      resolve: (ok) => {
        pendingConfirm.value = null;
        resolve(ok);
      },
    };
  });
}
