import { forbidden, unauthorized } from './errors.js';

/**
 * The roles an actor can hold. Defined here rather than in `users` because the actor is a
 * platform concept (tokens, `requireRole`) and platform imports no module; `users` stores
 * and validates roles from this list.
 */
export const ROLES = ['guest', 'host', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  role: Role;
  /** The session (sign-in) the access token belongs to: ending it ends the token. */
  sessionId?: string;
}

/** Longer user agents are cut: the header is the client's to choose, a stored copy is ours to bound. */
export const USER_AGENT_MAX_LENGTH = 512;

/** What a service knows of the caller, whichever transport it came through. */
export interface RequestContext {
  actor?: Actor;
  ip?: string;
  /** The client's User-Agent header, cut to USER_AGENT_MAX_LENGTH (kept with its session). */
  userAgent?: string;
  requestId?: string;
  /** Set only by `systemContext()`: work no person asked for. */
  system?: true;
}

/**
 * The context of jobs and start-up tasks. It carries no actor, so every `requireActor` and
 * `requireRole` refuses it (system work calls what it needs without a caller's rights) and
 * the audit trail records it with a null actor.
 */
export const systemContext = (): RequestContext => ({ system: true });

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw unauthorized();
  return ctx.actor;
}

export function requireRole(ctx: RequestContext, ...roles: Role[]): Actor {
  const actor = requireActor(ctx);
  if (!roles.includes(actor.role)) throw forbidden();
  return actor;
}
