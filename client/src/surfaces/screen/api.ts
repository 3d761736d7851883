import type { Device, KioskEvent, PairResult } from '@edgewise/shared';
import { apiRequest } from '../../lib/api';

export const pairDevice = (code: string) => apiRequest<PairResult>('POST', '/api/devices/pair', { code });

export const fetchDevice = (token: string) =>
  apiRequest<{ device: Device; event: KioskEvent }>('GET', '/api/device', undefined, { deviceToken: token, timeoutMs: 8000 });
