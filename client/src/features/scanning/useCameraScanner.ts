import jsQR from 'jsqr';
import { onBeforeUnmount, onMounted, ref, shallowRef, type Ref } from 'vue';

export type CameraState = 'starting' | 'on' | 'denied' | 'unavailable';

/** The Shape Detection API is not in TypeScript's DOM types yet; this is the part we use. */
interface NativeBarcodeDetector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface NativeBarcodeDetectorClass {
  new (opts: { formats: string[] }): NativeBarcodeDetector;
  getSupportedFormats(): Promise<string[]>;
}

async function nativeQrDetector(): Promise<NativeBarcodeDetector | null> {
  const Detector = (globalThis as { BarcodeDetector?: NativeBarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return null;
  try {
    const formats = await Detector.getSupportedFormats();
    return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

export interface CameraScannerOptions {
  /** Frames are only decoded while this is true (the camera keeps running in between). */
  active: Ref<boolean>;
  onCode: (text: string) => void;
  /** Decodes per second: enough to feel instant, little enough for a cheap tablet. */
  fps?: number;
}

/**
 * Runs the back camera into `video` and looks for a QR code a few times a second, with the
 * browser's own BarcodeDetector where there is one and jsQR elsewhere. A missing, busy or
 * refused camera is a state, not an error: the kiosk still works by scanner and by name.
 */
export function useCameraScanner(video: Ref<HTMLVideoElement | null>, opts: CameraScannerOptions) {
  const state = ref<CameraState>('starting');
  /** A camera facing the person shows a mirror image, which is what people expect to see. */
  const mirrored = ref(false);
  /** The running camera, for a step that shows it too (the kiosk's photo): one stream, one camera light. */
  const live = shallowRef<MediaStream | null>(null);
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopped = false;
  let busy = false;
  let frame = 0;
  let detector: NativeBarcodeDetector | null = null;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  function decodeWithJsQr(el: HTMLVideoElement): string | null {
    if (!ctx || !el.videoWidth) return null;
    // Downscaled frames decode faster and a ticket held up to a kiosk fills much of the view.
    const scale = Math.min(1, 640 / el.videoWidth);
    const w = Math.round(el.videoWidth * scale);
    const h = Math.round(el.videoHeight * scale);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    ctx.drawImage(el, 0, 0, w, h);
    const image = ctx.getImageData(0, 0, w, h);
    // Phones in dark mode show light-on-dark codes; looking for those on every fourth frame is enough.
    const inversion = frame % 4 === 3 ? 'onlyInvert' : 'dontInvert';
    return jsQR(image.data, w, h, { inversionAttempts: inversion })?.data ?? null;
  }

  async function tick() {
    const el = video.value;
    if (busy || !opts.active.value || !el || el.readyState < 2) return;
    busy = true;
    frame++;
    try {
      let text: string | null = null;
      if (detector) {
        try {
          text = (await detector.detect(el))[0]?.rawValue ?? null;
        } catch {
          detector = null;
        }
      } else {
        text = decodeWithJsQr(el);
      }
      if (text && !stopped) opts.onCode(text);
    } catch {
      // jsQR throws on some noisy frames; the next frame is a fresh try.
    } finally {
      busy = false;
    }
  }

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      // Also what an http:// page on a venue LAN sees: cameras need a secure context.
      state.value = 'unavailable';
      return;
    }
    try {
      const media = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      if (stopped) {
        media.getTracks().forEach((t) => t.stop());
        return;
      }
      stream = media;
      live.value = media;
      mirrored.value = media.getVideoTracks()[0]?.getSettings().facingMode !== 'environment';
      detector = await nativeQrDetector();
      const el = video.value;
      if (el) {
        el.srcObject = media;
        el.muted = true;
        el.playsInline = true;
        await el.play().catch(() => undefined);
      }
      state.value = 'on';
      timer = setInterval(() => void tick(), Math.round(1000 / (opts.fps ?? 7)));
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      state.value = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable';
    }
  }

  function stop() {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = null;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    live.value = null;
  }

  onMounted(() => void start());
  onBeforeUnmount(stop);

  return { state, mirrored, stream: live };
}
