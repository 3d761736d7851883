import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

const activity = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

/**
 * Counts down while `running` and nobody touches the kiosk; any touch, key or typing
 * starts the count again. Calls `onExpire` at zero. `seconds` may change with the screen.
 */
export function useIdleCountdown(seconds: Ref<number>, running: Ref<boolean>, onExpire: () => void) {
  const remaining = ref(seconds.value);
  let deadline = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  const restart = () => {
    deadline = Date.now() + seconds.value * 1000;
    remaining.value = seconds.value;
  };
  const tick = () => {
    if (!running.value) return;
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    remaining.value = left;
    if (left === 0) onExpire();
  };
  const touched = () => {
    if (running.value) restart();
  };

  watch([running, seconds], restart);
  onMounted(() => {
    restart();
    for (const type of activity) document.addEventListener(type, touched, { capture: true, passive: true });
    timer = setInterval(tick, 250);
  });
  onBeforeUnmount(() => {
    for (const type of activity) document.removeEventListener(type, touched, { capture: true });
    if (timer) clearInterval(timer);
  });

  return { remaining, restart };
}
