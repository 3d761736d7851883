import { ref } from 'vue';
import type { CheckinType, KioskMode } from '@edgewise/shared';

/**
 * What a scan at this kiosk records, from the kiosk's mode (set at pairing or on the
 * dashboard's Devices tab). In 'both' mode staff flip the big In/Out toggle; it stays
 * where they left it.
 */
export const direction = ref<CheckinType>('entry');

/** A pairing saved before kiosks had modes has none: it checks people in, as it always did. */
export function scanTypeFor(mode: KioskMode | undefined): CheckinType {
  if (mode === 'exit') return 'exit';
  if (mode === 'both') return direction.value;
  return 'entry';
}
