import type { Request, Response } from 'express';
import {
  AcceptInvitationBody,
  CreatedInvitation,
  CreateInvitationBody,
  InvitationCodeBody,
  InvitationIdParams,
  InvitationInfo,
  OrganiserIdParams,
  SessionInfo,
  Team,
  TeamMember,
  UpdateMemberBody,
} from '@edgewise/shared';
import type { FeatureContext } from '../../context';
import { AppError } from '../../http/errors';
import type { Registrar } from '../../http/route';
import { actorOf } from '../audit/record';
import { answerSessionOf } from '../auth/routes';
import { acceptInvitation, createInvitation, getTeam, invitationInfo, removeMember, revokeInvitation, updateMember } from './service';
import { clientIp } from '../../http/rate-limit';

const TAG = 'Team';

export function registerTeamRoutes(r: Registrar, ctx: FeatureContext) {
  /** Invitation codes are guessed here if anywhere: counted per address, like device pairing. */
  const limitByAddress = async (req: Request, res: Response) => {
    const wait = await ctx.limiters.pair.take(`invitation|${clientIp(req)}`);
    if (wait > 0) {
      res.setHeader('retry-after', String(wait));
      throw new AppError('rate_limited', 'Too many attempts: wait a few minutes and try again.', { retryAfterSeconds: wait });
    }
  };

  r.add(
    { method: 'get', path: '/team', summary: 'Members with their roles and events, and pending invitations (owners only)', tag: TAG, auth: 'organiser', role: 'owner', response: Team },
    async ({ res }) => {
      res.setHeader('cache-control', 'no-store');
      return getTeam(ctx);
    },
  );

  r.add(
    {
      method: 'post',
      path: '/team/invitations',
      summary: 'Invite a colleague by a one-time link, valid 7 days (mailed too when a mail server is set); the link is shown only in this answer',
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      body: CreateInvitationBody,
      response: CreatedInvitation,
      status: 201,
    },
    async ({ body, auth, res }) => {
      res.setHeader('cache-control', 'no-store');
      return createInvitation(ctx, actorOf(auth), body);
    },
  );

  r.add(
    { method: 'delete', path: '/team/invitations/:invitationId', summary: 'Withdraw an invitation: its link stops working', tag: TAG, auth: 'organiser', role: 'owner', params: InvitationIdParams },
    async ({ params, auth }) => revokeInvitation(ctx, actorOf(auth), params.invitationId),
  );

  r.add(
    {
      method: 'patch',
      path: '/team/members/:organiserId',
      summary: "Change a member's role or events; a role change ends their sessions at once, a lost event takes them out of its live room",
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      params: OrganiserIdParams,
      body: UpdateMemberBody,
      response: TeamMember,
    },
    async ({ params, body, auth }) => updateMember(ctx, actorOf(auth), params.organiserId, body),
  );

  r.add(
    {
      method: 'delete',
      path: '/team/members/:organiserId',
      summary: 'Remove a member: their sessions and sockets end at once (the organisation keeps at least one owner)',
      tag: TAG,
      auth: 'organiser',
      role: 'owner',
      params: OrganiserIdParams,
    },
    async ({ params, auth }) => removeMember(ctx, actorOf(auth), params.organiserId),
  );

  r.add(
    { method: 'post', path: '/auth/invitation', summary: 'What an invitation link is for (email, role, who invited), for the accept page', tag: TAG, auth: 'none', body: InvitationCodeBody, response: InvitationInfo },
    async ({ body, req, res }) => {
      await limitByAddress(req, res);
      res.setHeader('cache-control', 'no-store');
      return invitationInfo(ctx, body.code);
    },
  );

  r.add(
    {
      method: 'post',
      path: '/auth/accept-invitation',
      summary: 'Accept an invitation: creates the account with its role and events, spends the link, and logs in',
      tag: TAG,
      auth: 'none',
      body: AcceptInvitationBody,
      response: SessionInfo,
    },
    async ({ body, req, res }) => {
      await limitByAddress(req, res);
      return answerSessionOf(ctx, res, await acceptInvitation(ctx, body));
    },
  );
}
