/**
 * Runs `fn` over `items`, at most `limit` at a time, starting them in order. With
 * `yieldBetween`, each lane lets other work in (requests, timers) before its next item.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, { yieldBetween = false } = {}) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      await fn(items[next++]!);
      if (yieldBetween) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
