import { forbidden, unauthorized } from './errors.js';

export type Role = 'guest' | 'host' | 'admin';

export interface Actor {
  id: string;
  role: Role;
}

/** What a service knows of the caller, whichever transport it came through. */
export interface RequestContext {
  actor?: Actor;
  ip?: string;
  requestId?: string;
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthorized();
  return ctx.actor;
}

export function requireRole(ctx: RequestContext, ...roles: Role[]): Actor {
  const actor = requireActor(ctx);
  if (!roles.includes(actor.role)) throw forbidden();
  return actor;
}
