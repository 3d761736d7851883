import type { CheckinOutcome, LanguageCode, HostEdges, MeSession, MeSessionBody, MeSnapshot, MeVisibility, MyPhoto, SignInLinkBody, SignInOptions } from '@edgewise/shared';
import { apiRequest } from '../../lib/api';

// The attendee's token is a bearer token like a device's: the same header carries it.
export const claimSession = (body: MeSessionBody) => apiRequest<MeSession>('POST', '/api/me/session', body);
export const fetchMe = (token: string) => apiRequest<MeSnapshot>('GET', '/api/me', undefined, { deviceToken: token });
export const fetchVisibility = (token: string) => apiRequest<MeVisibility>('GET', '/api/me/visibility', undefined, { deviceToken: token });
export const endSession = (token: string) => apiRequest<void>('DELETE', '/api/me/session', undefined, { deviceToken: token });
/** Ends every session of this attendee, on every phone. */
export const endAllSessions = (token: string) => apiRequest<void>('DELETE', '/api/me/sessions', undefined, { deviceToken: token });
/** Whether this server can mail sign-in links. */
export const fetchSignInOptions = () => apiRequest<SignInOptions>('GET', '/api/me/sign-in');
/** "Email me my link": answered the same way whether or not the address is on a list. */
export const requestSignInLink = (body: SignInLinkBody) => apiRequest<void>('POST', '/api/me/sign-in-link', body);
/** The language this person reads their page and mails in (one of the event's). */
export const putLanguage = (token: string, language: LanguageCode) => apiRequest<{ language: LanguageCode }>('PUT', '/api/me/language', { language }, { deviceToken: token });
/** Hosts only: people at the edges now, nearest to the host's intent first. */
export const fetchHostEdges = (token: string) => apiRequest<HostEdges>('GET', '/api/me/edges', undefined, { deviceToken: token });
/** "I'm heading out": checks this attendee out (a scan at the door brings them back). */
export const headOut = (token: string) => apiRequest<CheckinOutcome>('POST', '/api/me/exit', undefined, { deviceToken: token });
/** Adds or replaces one's photo: the server resizes it and strips its metadata. */
export const putPhoto = (token: string, photo: Blob) =>
  apiRequest<MyPhoto>('PUT', '/api/me/photo', undefined, { deviceToken: token, text: photo, contentType: photo.type || 'image/jpeg', timeoutMs: 30_000 });
export const deletePhoto = (token: string) => apiRequest<void>('DELETE', '/api/me/photo', undefined, { deviceToken: token });
/** A photo this session may see, as bytes: the address alone opens nothing. */
export const fetchPhoto = (token: string, url: string) => apiRequest<Blob>('GET', url, undefined, { deviceToken: token, blob: true });
