import type { Request, Response } from 'express';
import { z } from 'zod';
import { CreatePairingBody, Device, DeviceParams, DevicePatchBody, EventIdParams, KioskEvent, PairBody, PairingCode, PairResult } from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import { lookupsOf } from '../../http/lookups';
import type { Registrar } from '../../http/route';
import { createPairingCode, currentDevice, listDevices, pairDevice, patchDevice, unpairDevice } from './service';
import { clientIp } from '../../http/rate-limit';

const TAG = 'Devices';

export function registerDeviceRoutes(r: Registrar, ctx: FeatureContext) {
  const { deps } = ctx;
  // Made now, not at the first request: it hears other nodes' unpairings from the start.
  lookupsOf(deps);

  r.add(
    {
      method: 'post',
      path: '/events/:eventId/pairing-codes',
      summary: 'A short code that pairs one kiosk or screen with this event (valid 10 minutes)',
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: EventIdParams,
      body: CreatePairingBody,
      response: PairingCode,
      status: 201,
    },
    async ({ params, body, auth }) =>
      createPairingCode(deps, { eventId: params.eventId, kind: body.kind, name: body.name, createdBy: auth.organiser.id }),
  );

  r.add(
    { method: 'post', path: '/devices/pair', summary: 'Pair this device with a code; answers its bearer token', tag: TAG, auth: 'none', body: PairBody, response: PairResult },
    async ({ body, req, res }) => {
      await limitPairing(ctx, req, res);
      res.setHeader('cache-control', 'no-store');
      const paired = await pairDevice(deps, body.code, body.mode);
      ctx.realtime.deviceChanged(paired.device.eventId, paired.device.id);
      return paired;
    },
  );

  r.add(
    {
      method: 'get',
      path: '/device',
      summary: 'This device and its event (a kiosk or screen checks it is still paired)',
      tag: TAG,
      auth: 'device',
      response: z.object({ device: Device, event: KioskEvent }),
    },
    async ({ auth }) => currentDevice(deps, auth.device.id),
  );

  r.add(
    { method: 'get', path: '/events/:eventId/devices', summary: "The event's paired kiosks and screens", tag: TAG, auth: 'organiser', role: 'door', params: EventIdParams, response: z.array(Device) },
    async ({ params }) => listDevices(deps.database.db, params.eventId),
  );

  r.add(
    {
      method: 'patch',
      path: '/events/:eventId/devices/:deviceId',
      summary:
        "Mark a kiosk as staffed (name search needs no confirmation from the guest) or unattended, or set its mode (entry, exit or both): the kiosk hears of it at once ('device:updated')",
      tag: TAG,
      auth: 'organiser',
      role: 'door',
      params: DeviceParams,
      body: DevicePatchBody,
      response: Device,
    },
    async ({ params, body }) => {
      const device = await patchDevice(deps, params.eventId, params.deviceId, body);
      ctx.realtime.deviceChanged(params.eventId, params.deviceId);
      await ctx.realtime.deviceUpdated(device);
      return device;
    },
  );

  r.add(
    { method: 'delete', path: '/events/:eventId/devices/:deviceId', summary: 'Unpair a device: its token stops working at once', tag: TAG, auth: 'organiser', role: 'door', params: DeviceParams },
    async ({ params }) => {
      await unpairDevice(deps, params.eventId, params.deviceId);
      await ctx.realtime.deviceUnpaired(params.deviceId);
      ctx.realtime.deviceChanged(params.eventId, params.deviceId);
      return undefined;
    },
  );
}

/** Pairing codes are short, so guessing is throttled per address. */
async function limitPairing(ctx: FeatureContext, req: Request, res: Response) {
  const retryAfter = await ctx.limiters.pair.take(clientIp(req));
  if (retryAfter > 0) {
    res.setHeader('retry-after', String(retryAfter));
    throw new AppError('rate_limited', 'Too many pairing attempts: wait a few minutes and try again.', { retryAfterSeconds: retryAfter });
  }
}
