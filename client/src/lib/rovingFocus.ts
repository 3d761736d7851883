import { ref, type Ref } from 'vue';

/** Keys that move focus inside a one-Tab-stop group, and where each one goes. */
const moves: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Where a key moves focus among `count` items from `index`; null for a key that does not move it. */
export function nextIndex(key: string, index: number, count: number): number | null {
  const move = moves[key];
  if (!move || count === 0) return null;
  return move(Math.max(index, 0), count);
}

/**
 * A group of buttons that is one Tab stop (the WAI-ARIA "roving tabindex"): Tab enters at
 * the last item used (else the first picked, else the first), arrow keys, Home and End
 * move inside, and disabled items are skipped.
 */
export function useRovingFocus(list: Ref<HTMLElement | null>) {
  const current = ref<string | null>(null);

  function items(): HTMLElement[] {
    return [...(list.value?.querySelectorAll<HTMLElement>('[data-roving]:not(:disabled)') ?? [])];
  }

  /** The item that takes the group's one Tab stop. */
  function tabStop(keys: readonly string[], isEnabled: (key: string) => boolean, picked: readonly string[]): string | undefined {
    if (current.value !== null && keys.includes(current.value) && isEnabled(current.value)) return current.value;
    return keys.find((k) => picked.includes(k) && isEnabled(k)) ?? keys.find(isEnabled);
  }

  function onKeydown(event: KeyboardEvent) {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const next = nextIndex(event.key, index, all.length);
    if (next === null) return;
    event.preventDefault();
    all[next]?.focus();
  }

  return { current, tabStop, onKeydown };
}
