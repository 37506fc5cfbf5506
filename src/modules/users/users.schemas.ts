import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { passwordWeakness } from '../../platform/auth/password-strength.js';
import { ROLES } from '../../platform/context.js';
import { pageQuerySchema } from '../../platform/pagination.js';
import { ADMIN_SETTABLE_STATUSES, USER_STATUSES, type SessionRow, type UserRow } from './users.table.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'Must be an e-mail address.' }));
const name = z.string().trim().min(1).max(100);
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,24}$/, 'Must be a phone number, e.g. +251911234567.');
// Upper bound keeps a hash request from becoming a denial of service.
const newPassword = z.string().min(10, 'Must be at least 10 characters.').max(256);

/** An e-mailed or refresh token as the examples show one. */
const EXAMPLE_TOKEN = 'q7Zk3vT9mWc2xR8pL1nB5yH0fJ4sD6aE';

export const Role = z.enum(ROLES);
/** The roles one may sign up with; admins are created by an operator. */
export const RegistrableRole = Role.exclude(['admin']);
export const UserStatus = z.enum(USER_STATUSES);

export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    role: Role,
    emailVerified: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** A user's rating as a guest: the published reviews hosts wrote of their stays. */
export const GuestRating = z
  .object({
    average: z.number().nullable().describe('Mean stars (1–5, two decimals); null while `count` is 0.'),
    count: z.number().int().describe('How many published host reviews of this guest there are.'),
  })
  .meta({ id: 'GuestRating' });
export type GuestRating = z.infer<typeof GuestRating>;

/** What anyone may see of another user: no e-mail, no phone. */
export const PublicProfile = z.object({
  id: z.uuid(),
  firstName: z.string(),
  memberSince: z.iso.datetime().describe('When the account was created.'),
  guestRating: GuestRating.describe('Their rating as a guest, from the published reviews hosts wrote of their stays.'),
});
export type PublicProfile = z.infer<typeof PublicProfile>;

export const AdminUser = User.extend({ status: UserStatus }).meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof AdminUser>;

export const RegisterInput = z
  .strictObject({
    email,
    password: newPassword.describe(
      'At least 10 characters and hard to guess: common, repeated and keyboard-row passwords, and ones built on your name or e-mail, are refused (422 with the reason).',
    ),
    firstName: name,
    lastName: name,
    phone: phone.optional(),
    role: RegistrableRole.optional().describe('Defaults to `guest`. Admins cannot be registered.'),
  })
  .superRefine((input, ctx) => {
    // Judged once the length rule holds, against the user's own details.
    if (!newPassword.safeParse(input.password).success) return;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const [first, last] = [text(input.firstName), text(input.lastName)];
    const hints = [text(input.email).split('@')[0] ?? '', first, last, `${first} ${last}`];
    const weakness = passwordWeakness(input.password, hints);
    if (weakness) ctx.addIssue({ code: 'custom', path: ['password'], message: weakness });
  })
  .meta({
    id: 'RegisterInput',
    examples: [
      {
        email: 'amara@example.com',
        password: 'tangerine-harbour-lantern-42',
        firstName: 'Amara',
        lastName: 'Okafor',
        role: 'host',
      },
    ],
  });
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z
  .strictObject({ email, password: z.string().min(1).max(256) })
  .meta({ id: 'LoginInput', examples: [{ email: 'amara@example.com', password: 'tangerine-harbour-lantern-42' }] });
export type LoginInput = z.infer<typeof LoginInput>;

export const RefreshInput = z
  .strictObject({ refreshToken: z.string().min(1).max(256) })
  .meta({ id: 'RefreshInput', examples: [{ refreshToken: EXAMPLE_TOKEN }] });
export type RefreshInput = z.infer<typeof RefreshInput>;

const emailToken = z.string().min(1).max(256).describe('The token from the link in the e-mail.');

export const VerifyEmailInput = z
  .strictObject({ token: emailToken })
  .meta({ id: 'VerifyEmailInput', examples: [{ token: EXAMPLE_TOKEN }] });
export type VerifyEmailInput = z.infer<typeof VerifyEmailInput>;

export const PasswordResetRequestInput = z
  .strictObject({ email })
  .meta({ id: 'PasswordResetRequestInput', examples: [{ email: 'amara@example.com' }] });
export type PasswordResetRequestInput = z.infer<typeof PasswordResetRequestInput>;

export const PasswordResetConfirmInput = z
  .strictObject({
    token: emailToken,
    password: newPassword.describe(
      'The new password, under the same rules as at registration (judged against the account’s name and e-mail).',
    ),
  })
  .meta({ id: 'PasswordResetConfirmInput', examples: [{ token: EXAMPLE_TOKEN, password: 'copper-meadow-violin-17' }] });
export type PasswordResetConfirmInput = z.infer<typeof PasswordResetConfirmInput>;

export const ChangePasswordInput = z
  .strictObject({
    currentPassword: z.string().min(1).max(256),
    newPassword: newPassword.describe(
      'The new password, under the same rules as at registration (judged against the account’s name and e-mail).',
    ),
  })
  .meta({
    id: 'ChangePasswordInput',
    examples: [{ currentPassword: 'tangerine-harbour-lantern-42', newPassword: 'copper-meadow-violin-17' }],
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const VerifyEmailResendInput = z
  .strictObject({ email })
  .meta({ id: 'VerifyEmailResendInput', examples: [{ email: 'amara@example.com' }] });
export type VerifyEmailResendInput = z.infer<typeof VerifyEmailResendInput>;

/** One sign-in of the caller, as `GET /v1/me/sessions` lists it. */
export const UserSession = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime().describe('When the sign-in (register or login) happened.'),
    lastUsedAt: z.iso.datetime().describe('The last sign-in or token refresh of this session.'),
    ip: z.string().nullable().describe('The client address last seen (sign-in or refresh).'),
    userAgent: z.string().nullable().describe('The User-Agent last seen, cut to 512 characters.'),
    current: z.boolean().describe('True for the session of the access token that asked.'),
  })
  .meta({ id: 'UserSession' });
export type UserSession = z.infer<typeof UserSession>;

export const ListSessionsQuery = pageQuerySchema;
export type ListSessionsQuery = z.infer<typeof ListSessionsQuery>;

export const SessionIdParams = z.object({ id: idParam('session') });

export const UpdateMeInput = z
  .strictObject({ firstName: name.optional(), lastName: name.optional(), phone: phone.nullable().optional() })
  .meta({
    id: 'UpdateMeInput',
    description: '`email` and `role` cannot be changed here; unknown fields are rejected.',
    examples: [{ lastName: 'Okafor-Bello', phone: '+251911234567' }],
  });
export type UpdateMeInput = z.infer<typeof UpdateMeInput>;

export const AuthResult = z
  .object({
    user: User,
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().describe('Access token lifetime in seconds.'),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof AuthResult>;

export const ListUsersQuery = pageQuerySchema.extend({
  role: Role.optional(),
  status: UserStatus.optional(),
  email: z.string().trim().max(254).optional().describe('Case-insensitive prefix of the e-mail.'),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const AdminUpdateUserInput = z
  .strictObject({
    status: z.enum(ADMIN_SETTABLE_STATUSES).describe('A closed account cannot be reopened (409 `account_closed`).'),
  })
  .meta({ id: 'AdminUpdateUserInput', examples: [{ status: 'suspended' }] });
export type AdminUpdateUserInput = z.infer<typeof AdminUpdateUserInput>;

export const UserIdParams = z.object({ id: idParam('user') });

export const CloseAccountInput = z
  .strictObject({ password: z.string().min(1).max(256).describe('The account’s current password.') })
  .meta({ id: 'CloseAccountInput', examples: [{ password: 'tangerine-harbour-lantern-42' }] });
export type CloseAccountInput = z.infer<typeof CloseAccountInput>;

/** How a closed account's author appears to everyone: its own name is erased. */
export const FORMER_MEMBER = 'Former member';

export const toUserDto = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  firstName: row.firstName,
  lastName: row.lastName,
  phone: row.phone,
  role: row.role,
  emailVerified: row.emailVerified,
  createdAt: row.createdAt.toISOString(),
});

type GuestRatingColumns = Pick<UserRow, 'guestRatingSum' | 'guestRatingCount'>;

/** The average to two decimals, half up (as the places' figures), from the exact sum and count. */
export const toGuestRatingDto = (row: GuestRatingColumns): GuestRating => ({
  average: row.guestRatingCount > 0 ? Math.round((row.guestRatingSum * 100) / row.guestRatingCount) / 100 : null,
  count: row.guestRatingCount,
});

export const toPublicProfileDto = (
  row: Pick<UserRow, 'id' | 'firstName' | 'createdAt' | 'status'> & GuestRatingColumns,
): PublicProfile => ({
  id: row.id,
  firstName: row.status === 'closed' ? FORMER_MEMBER : row.firstName,
  memberSince: row.createdAt.toISOString(),
  guestRating: toGuestRatingDto(row),
});

export const toAdminUserDto = (row: UserRow): AdminUser => ({ ...toUserDto(row), status: row.status });

export const toUserSessionDto = (row: SessionRow, currentSessionId: string | undefined): UserSession => ({
  id: row.id,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt.toISOString(),
  ip: row.ip,
  userAgent: row.userAgent,
  current: row.id === currentSessionId,
});
