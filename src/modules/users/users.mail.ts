import type { Clock } from '../../platform/clock.js';
import { createBatcher } from '../../platform/db/batch.js';
import type { Db } from '../../platform/db/types.js';
import { newOpaqueToken } from '../../platform/auth/hashing.js';
import { publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import * as repo from './users.repository.js';
import type { UserTokenPurpose } from './users.table.js';

/** Outbox job kinds of the account e-mails (their handlers are in users.jobs.ts). */
export const SEND_VERIFICATION_EMAIL = 'users.send-verification-email';
export const SEND_PASSWORD_RESET_EMAIL = 'users.send-password-reset-email';
export const RESEND_VERIFICATION_EMAIL = 'users.resend-verification-email';

type RenderedEmail = ReturnType<typeof renderEmail>;

/** Life of the single-use links sent by e-mail (verify the address, reset the password). */
export const EMAIL_TOKEN_TTL_MS = 3600_000;

/** The e-mail asking to confirm the address, with its single-use link. */
export function verificationEmail(firstName: string, publicUrl: string, token: string): RenderedEmail {
  return renderEmail({
    subject: 'Confirm your e-mail address',
    paragraphs: [`Hello ${firstName},`, 'Please confirm that this is your e-mail address.'],
    action: { label: 'Confirm my e-mail', url: publicLink(publicUrl, '/verify-email', { token }) },
    footer: 'The link works once, for one hour. If you did not create a Staylane account, ignore this e-mail.',
  });
}

/** The e-mail with a single-use link to choose a new password. */
export function passwordResetEmail(firstName: string, publicUrl: string, token: string): RenderedEmail {
  return renderEmail({
    subject: 'Reset your password',
    paragraphs: [`Hello ${firstName},`, 'Someone asked to reset the password of your Staylane account.'],
    action: { label: 'Choose a new password', url: publicLink(publicUrl, '/reset-password', { token }) },
    footer:
      'The link works once, for one hour. If you did not ask for this, ignore this e-mail: your password stays as it is.',
  });
}

export interface UsersMailDeps {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  /** Base of the links in e-mails. */
  publicUrl: string;
}

export type UsersMail = ReturnType<typeof createUsersMail>;

/**
 * The job handlers of the account e-mails. They make their token when they run, so no
 * usable token is ever stored (the outbox keeps ids and addresses only). The
 * de-duplication key is the job's: a job that runs again after its e-mail left sends
 * nothing (its extra token is never seen and expires).
 */
export function createUsersMail({ db, clock, mailer, publicUrl }: UsersMailDeps) {
  // Verification e-mails that start while one's lookup is under way share the next one.
  const issueVerifyEmailToken = createBatcher(
    (wanted: readonly { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }[]) =>
      repo.insertVerifyEmailTokens(db, wanted),
  );

  async function issueEmailToken(userId: string, purpose: UserTokenPurpose) {
    const { token, hash } = newOpaqueToken();
    const now = clock.now();
    const row = await repo.insertUserToken(db, {
      userId,
      purpose,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS),
      createdAt: now,
    });
    return { id: row.id, token };
  }

  async function sendVerificationEmail(userId: string, jobId: string): Promise<void> {
    const { token, hash } = newOpaqueToken();
    const now = clock.now();
    const user = await issueVerifyEmailToken({
      userId,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS),
      createdAt: now,
    });
    if (!user) return;
    await mailer.send({
      to: user.email,
      dedupeKey: `verify-email:${jobId}`,
      ...verificationEmail(user.firstName, publicUrl, token),
    });
  }

  return {
    sendVerificationEmail,

    async sendPasswordResetEmail(email: string, jobId: string): Promise<void> {
      const user = await repo.findUserByEmail(db, email);
      if (!user || user.status !== 'active') return;
      const { token } = await issueEmailToken(user.id, 'password_reset');
      await mailer.send({
        to: user.email,
        dedupeKey: `password-reset:${jobId}`,
        ...passwordResetEmail(user.firstName, publicUrl, token),
      });
    },

    /** Job handler of a resend: nothing for an unknown, verified or suspended account. */
    async resendVerificationEmailTo(email: string, jobId: string): Promise<void> {
      const user = await repo.findUserByEmail(db, email);
      if (!user || user.emailVerified || user.status === 'suspended') return;
      await sendVerificationEmail(user.id, jobId);
    },
  };
}
