import { decodeJwt } from 'jose';
import type { MQEmitter } from 'mqemitter';
import type { Authenticate } from '../http/auth.js';
import type { RequestContext } from '../platform/context.js';
import { isAppError } from '../platform/errors.js';
import { accessRevokedTopic, type AccessRevoked } from '../platform/live/live.js';
import { CloseCode, Closed, MAX_TIMER_MS } from './socket-protocol.js';

/** What the caller check needs of its socket. */
export interface CheckedSocket {
  isClosed(): boolean;
  close(code: number, reason: string): void;
}

/**
 * The caller of one socket, checked anew while the socket is open: with the token its
 * `connection_init` carried, before each `subscribe` and (reusing a recent check) before each
 * event is delivered; one check runs at a time, concurrent askers share it. The socket is
 * closed (4403) when the caller loses access, when the token expires and when an
 * `access-revoked` live event ends the caller's session or all of the user's sessions.
 */
export class CallerCheck {
  /** The caller, as last checked. */
  caller: RequestContext | undefined;
  private token: string | undefined;
  private checkedAt = 0;
  private checking: Promise<boolean> | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private revoked: ((message: { payload?: AccessRevoked }, done: () => void) => void) | undefined;

  constructor(
    private readonly options: { readonly authenticate: Authenticate; readonly emitter: MQEmitter },
    private readonly socket: CheckedSocket,
  ) {}

  /** The caller `connection_init` authenticated, with its token. */
  accept(token: string, caller: RequestContext): void {
    this.token = token;
    this.caller = caller;
    this.checkedAt = Date.now();
  }

  /** A fresh check of the caller; closes the socket (4403) when it lost access. */
  async recheck(): Promise<RequestContext> {
    if (!(await this.alive(0))) throw new Closed();
    return this.caller!;
  }

  /** Whether the caller still has access, by a check at most `maxAgeMs` old. */
  alive(maxAgeMs: number): Promise<boolean> {
    if (this.socket.isClosed() || !this.token) return Promise.resolve(false);
    if (Date.now() - this.checkedAt < maxAgeMs) return Promise.resolve(true);
    const token = this.token;
    return (this.checking ??= this.options
      .authenticate(token)
      .then(
        (actor) => {
          if (!actor) {
            this.socket.close(CloseCode.Forbidden, 'Forbidden');
            return false;
          }
          this.caller = { ...this.caller, actor };
          this.checkedAt = Date.now();
          return true;
        },
        (err: unknown) => {
          if (isAppError(err) && (err.kind === 'unauthorized' || err.kind === 'forbidden')) {
            this.socket.close(CloseCode.Forbidden, 'Forbidden');
            return false;
          }
          throw err;
        },
      )
      .finally(() => (this.checking = undefined)));
  }

  /** Closes the socket (4403) when the token expires. */
  expireWithToken(token: string): void {
    const { exp } = decodeJwt(token);
    if (typeof exp !== 'number') return;
    this.expiry = setTimeout(
      () => this.socket.close(CloseCode.Forbidden, 'Token expired'),
      Math.min(Math.max(0, exp * 1000 - Date.now()), MAX_TIMER_MS),
    );
  }

  /** Closes the socket (4403) on an `access-revoked` event for the caller's session or all of them. */
  listenForRevocation(userId: string): Promise<void> {
    const sessionId = this.caller?.actor?.sessionId;
    this.revoked = (message, done) => {
      const ended = message.payload?.sessionId;
      if (ended === undefined || ended === sessionId) this.socket.close(CloseCode.Forbidden, 'Access revoked');
      done();
    };
    return new Promise((resolve) =>
      this.options.emitter.on(accessRevokedTopic(userId), this.revoked as never, () => resolve()),
    );
  }

  /** Stops the expiry timer and the revocation listener: the socket is closed. */
  stop(): void {
    clearTimeout(this.expiry);
    this.expiry = undefined;
    const actor = this.caller?.actor;
    if (this.revoked && actor) {
      this.options.emitter.removeListener(accessRevokedTopic(actor.id), this.revoked as never);
      this.revoked = undefined;
    }
  }
}
