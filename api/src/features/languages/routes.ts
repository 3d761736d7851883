import { LanguagesResponse, languageInfo, supportedLanguages } from '@edgewise/shared';
import type { Registrar } from '../../http/route';

/** The languages Edgewise speaks: what an event may offer and the dashboard may be read in. */
export function registerLanguageRoutes(r: Registrar) {
  r.add(
    { method: 'get', path: '/languages', summary: 'The supported languages: code, own name, writing direction', tag: 'Languages', auth: 'none', response: LanguagesResponse },
    async () => ({ languages: supportedLanguages.map(languageInfo) }),
  );
}
