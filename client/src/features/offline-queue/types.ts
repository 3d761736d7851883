import type { CheckinMethod, CheckinReason, CheckinStatus, CheckinType } from '@edgewise/shared';

/** One scan the kiosk could not deliver: everything needed to send it later, unchanged. */
export interface QueuedScan {
  /** The idempotency key made at scan time; a retry reuses it so nothing counts twice. */
  nonce: string;
  eventId: string;
  token?: string;
  attendeeId?: string;
  type: CheckinType;
  /** When the person stood at the kiosk, not when the upload happens. */
  scannedAt: string;
  method: CheckinMethod;
  queuedAt: string;
  /** What the kiosk told the guest offline; the server's answer is compared with it after sync. */
  offline?: { status: CheckinStatus; reason: CheckinReason; firstName: string | null };
}

/** Where queued scans wait: IndexedDB in the browser, a Map in tests. */
export interface ScanStore {
  put(scan: QueuedScan): Promise<void>;
  oldestFirst(): Promise<QueuedScan[]>;
  remove(nonce: string): Promise<void>;
  count(): Promise<number>;
}
