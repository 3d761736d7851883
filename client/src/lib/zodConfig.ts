/**
 * zod without its JIT in the browser. Our CSP allows no eval (api/src/http/headers.ts), and
 * zod probes for it with `new Function('')` on its first parse: the probe is caught, but the
 * browser still reports a CSP violation for it. `jitless` skips the probe; parsing stays correct,
 * only not compiled. Imported first in main.ts, before any schema parses.
 */
import { config } from 'zod';

config({ jitless: true });
