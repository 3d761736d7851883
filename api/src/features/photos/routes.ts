import { AttendeeParams, MyPhoto, PhotoParams } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { PHOTO_TYPES } from './image';
import { photoForViewer, removePhoto, uploadKioskPhoto, uploadPhoto } from './service';

const TAG = 'Me';

export function registerPhotoRoutes(r: Registrar, ctx: FeatureContext) {
  r.add(
    {
      method: 'put',
      path: '/me/photo',
      summary:
        'Add or replace your photo (image/jpeg or image/png, at most 5 MB): resized to 512 px, re-encoded as JPEG without any metadata, shown only to people you both said yes to or were introduced to. Only once checked in; 10 uploads per 15 minutes',
      tag: TAG,
      auth: 'attendee',
      bodyType: 'image',
      response: MyPhoto,
      status: 200,
    },
    async ({ auth, body, res }) => {
      res.setHeader('cache-control', 'no-store');
      return uploadPhoto(ctx, auth.attendee, body as unknown as Buffer);
    },
  );

  r.add(
    { method: 'delete', path: '/me/photo', summary: 'Remove your photo: it is deleted at once and nobody sees it any more', tag: TAG, auth: 'attendee', status: 204 },
    async ({ auth }) => {
      await removePhoto(ctx, auth.attendee);
      return undefined;
    },
  );

  r.add(
    {
      method: 'put',
      path: '/events/:eventId/attendees/:attendeeId/photo',
      summary:
        "The kiosk adds the photo of the guest standing at it (image/jpeg or image/png, at most 5 MB, processed as on the phone): only for the guest this kiosk scanned last, whose own entry or walk-in it accepted in the last 5 minutes and who is still present, once per check-in (else kiosk_photo_not_allowed)",
      tag: 'Kiosk',
      auth: 'device',
      deviceKinds: ['kiosk'],
      params: AttendeeParams,
      bodyType: 'image',
      status: 204,
    },
    async ({ params, auth, body, res }) => {
      res.setHeader('cache-control', 'no-store');
      await uploadKioskPhoto(ctx, auth.device.id, params.eventId, params.attendeeId, body as unknown as Buffer);
      return undefined;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/photos/:photoId',
      summary:
        "A person's photo, for their own session and the people they both said yes to or were introduced to (the session is checked on every fetch; anyone else gets not_found). Never cached publicly",
      tag: TAG,
      auth: 'attendee',
      params: PhotoParams,
      produces: PHOTO_TYPES[0],
    },
    async ({ auth, params, res }) => {
      const photo = await photoForViewer(ctx, auth.attendee, params.photoId);
      if (!photo) throw new AppError('not_found', 'No such photo.');
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('content-type', 'image/jpeg');
      res.setHeader('content-disposition', 'inline');
      res.status(200).end(photo);
      return undefined;
    },
  );
}
