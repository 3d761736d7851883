/**
 * Makes the kiosk an installable offline app: its web manifest, and the service worker
 * (`/sw.js`, built by client/build/kioskServiceWorker.ts) that keeps the app's files so a
 * reload or reboot during an outage still opens it. Only the kiosk registers it, for the
 * kiosk's pages; the other surfaces stay plain pages.
 */
export function makeKioskInstallable() {
  if (typeof document !== 'undefined' && !document.querySelector('link[rel="manifest"]')) {
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = '/manifest.webmanifest';
    document.head.append(link);
  }
  // Development serves no sw.js; browsers without service workers (or outside a secure context) go without.
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/kiosk' }).catch((err: unknown) => {
    console.warn('[kiosk] the offline app could not be installed', err);
  });
}
