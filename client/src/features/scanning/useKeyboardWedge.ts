import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

/** True when the element takes typed text, so keystrokes there belong to it. */
export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (!(el instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(el.type);
}

export interface KeyboardWedgeOptions {
  /** While false the wedge lets go of the focus (another form is in use). */
  enabled: Ref<boolean>;
  /** Called with what the scanner typed when it pressed Enter. */
  onScan: (text: string) => void;
}

/**
 * A handheld scanner is a keyboard: it types the QR text and presses Enter. The wedge
 * keeps its input focused whenever nothing else is, and when a button has the focus (a
 * keyboard user moving around) it catches the typed characters instead of stealing the
 * focus back, so a scan is never half lost.
 */
export function useKeyboardWedge(input: Ref<HTMLInputElement | null>, opts: KeyboardWedgeOptions) {
  const text = ref('');
  let timer: ReturnType<typeof setInterval> | null = null;

  function focusIfFree() {
    const el = input.value;
    if (!opts.enabled.value || !el) return;
    const active = document.activeElement;
    if (active === el) return;
    if (!active || active === document.body || active === document.documentElement) el.focus({ preventScroll: true });
  }

  function onKeydown(e: KeyboardEvent) {
    const el = input.value;
    if (!opts.enabled.value || !el || e.defaultPrevented) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const active = document.activeElement;
    if (active === el || isTextEntry(active)) return;
    // Space and Enter press the focused button; anything else printable is a scanner typing.
    if (e.key.length !== 1 || e.key === ' ') return;
    e.preventDefault();
    text.value += e.key;
    el.focus({ preventScroll: true });
  }

  function submit() {
    const scanned = text.value.trim();
    text.value = '';
    if (scanned) opts.onScan(scanned);
  }

  onMounted(() => {
    document.addEventListener('keydown', onKeydown, true);
    window.addEventListener('focus', focusIfFree);
    // Focus drifts to the page body after a tap on empty space or a screen change.
    timer = setInterval(focusIfFree, 400);
    focusIfFree();
  });
  onBeforeUnmount(() => {
    document.removeEventListener('keydown', onKeydown, true);
    window.removeEventListener('focus', focusIfFree);
    if (timer) clearInterval(timer);
  });
  watch(opts.enabled, (on) => {
    if (on) setTimeout(focusIfFree, 0);
    else text.value = '';
  });

  /** Takes the focus back, e.g. after "Start over" (whose button would otherwise keep it). */
  function reclaimFocus() {
    const el = input.value;
    if (!opts.enabled.value || !el || isTextEntry(document.activeElement)) return;
    el.focus({ preventScroll: true });
  }

  return { text, submit, reclaimFocus };
}
