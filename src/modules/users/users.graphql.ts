import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseInput } from '../../graphql/input.js';
import { batchById } from '../../graphql/loaders.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import { ROLES } from '../../platform/context.js';
import {
  AuthResult,
  FORMER_MEMBER,
  LoginInput,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  PublicProfile,
  RefreshInput,
  RegisterInput,
  RegistrableRole,
  UpdateMeInput,
  VerifyEmailInput,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

const role = graphqlEnum('Role', ROLES, {
  about: 'What an account may do.',
  values: {
    guest: 'Books stays, reviews them and writes to hosts.',
    host: 'Lists places and runs their calendars and bookings; a host is also a guest.',
    admin: 'Operates the platform; created by an operator, never by registering.',
  },
});
const registrableRole = graphqlEnum('RegistrableRole', RegistrableRole.options, {
  about: 'The roles an account may be registered with.',
  values: { guest: 'A guest account (the default).', host: 'A host account, which is also a guest.' },
});

const ID = '"The user\'s id."';

export const usersTypeDefs = describedFrom(
  {
    PublicProfile,
    AuthPayload: AuthResult,
    'Mutation.verifyEmail': VerifyEmailInput,
    'Mutation.confirmPasswordReset': PasswordResetConfirmInput,
  },
  sdl(
    role,
    registrableRole,
    /* GraphQL */ `
      "The signed-in user's own account, as only its owner sees it."
      type User {
        ${ID}
        id: ID!
        "The sign-in address, lower case."
        email: String!
        "First name."
        firstName: String!
        "Last name."
        lastName: String!
        "Phone number as given; null when none."
        phone: String
        "What the account may do."
        role: Role!
        "Whether the address was confirmed with the link e-mailed at registration."
        emailVerified: Boolean!
        "When the account was created."
        createdAt: DateTime!
        "Your rating as a guest, from the published reviews hosts wrote of your stays."
        guestRating: GuestRating!
      }

      "What anyone may see of another user: no e-mail, no phone."
      type PublicProfile {
        ${ID}
        id: ID!
        "First name; \`${FORMER_MEMBER}\` once the account is closed."
        firstName: String!
        memberSince: DateTime!
        "Their rating as a guest, from the published reviews hosts wrote of their stays."
        guestRating: GuestRating!
      }

      "A user's rating as a guest."
      type GuestRating {
        "Mean stars (1–5, two decimals); null while count is 0."
        average: Float
        "How many published host reviews of this guest there are."
        count: Int!
      }

      "A signed-in session: the account and its tokens."
      type AuthPayload {
        "The account signed in."
        user: User!
        "Send as \`Authorization: Bearer <token>\` over HTTP, or as \`authorization\` in the WebSocket's \`connection_init\` payload."
        accessToken: String!
        "Single use: trade it for a new pair with \`refresh\`."
        refreshToken: String!
        expiresIn: Int!
      }
    `,
    graphqlInput('RegisterInput', RegisterInput, {
      uses: [registrableRole],
      about: 'A new account.',
      descriptions: {
        email: 'The sign-in address; unique, case-insensitively.',
        password:
          'At least 10 characters and hard to guess: common, repeated and keyboard-row passwords, and ones built on your name or e-mail, are refused (BAD_USER_INPUT with the reason).',
        firstName: 'First name, 1 to 100 characters.',
        lastName: 'Last name, 1 to 100 characters.',
        phone: 'Phone number, e.g. +251911234567; may be left out.',
      },
    }),
    graphqlInput('UpdateMeInput', UpdateMeInput, {
      descriptions: {
        firstName: 'First name, 1 to 100 characters.',
        lastName: 'Last name, 1 to 100 characters.',
        phone: 'Phone number, e.g. +251911234567; null clears it.',
      },
    }),
    /* GraphQL */ `
      extend type Query {
        "The signed-in user."
        me: User!
      }

      extend type Mutation {
        "Creates an account and signs it in; CONFLICT when the e-mail is taken. Limited per client address with the other sign-in calls, over REST and GraphQL together."
        register("The new account." input: RegisterInput!): AuthPayload!
        "Signs in; UNAUTHENTICATED alike for an unknown e-mail and a wrong password. After 5 failures within 15 minutes for one e-mail, RATE_LIMITED until the window ends."
        login("The sign-in address." email: String!, "The account's password." password: String!): AuthPayload!
        "Trades a refresh token for a new pair. Refresh tokens are single use: presenting one already used revokes every token of its session (UNAUTHENTICATED)."
        refresh("The refresh token of the last pair issued." refreshToken: String!): AuthPayload!
        "Changes the caller's name or phone."
        updateMe("The fields to change." input: UpdateMeInput!): User!
        "Turns a guest account into a host account (a host is also a guest); CONFLICT when it is already a host or an admin."
        becomeHost: User!
        "Confirms the e-mail address with the token from the verification e-mail (single use, 1 h). BAD_USER_INPUT \`invalid_token\` when unknown, expired or used."
        verifyEmail(token: String!): User!
        "E-mails a single-use password-reset link (1 h) if the account exists. Always true, whether or not it does."
        requestPasswordReset("The account's sign-in address." email: String!): Boolean!
        "Sets a new password with the token of a reset e-mail (single use, 1 h); revokes every session of the account."
        confirmPasswordReset(token: String!, password: String!): Boolean!
      }
    `,
  ),
);

export function usersGraphql(users: UsersService): {
  typeDefs: string;
  resolvers: IResolvers;
  loaders: MercuriusLoaders;
} {
  return {
    typeDefs: usersTypeDefs,
    loaders: {
      // A user's guest rating, read with their public profile (one query for a whole page).
      User: {
        guestRating: batchById(
          (o: { id: string }) => o.id,
          async (ids) => new Map([...(await users.getPublicProfiles(ids))].map(([id, p]) => [id, p.guestRating])),
        ),
      },
    },
    resolvers: {
      Query: {
        me: async (_root, _args, ctx: GraphqlContext) => users.getMe(await requireCaller(ctx)),
      },
      Mutation: {
        register: async (_root, args: { input: unknown }, ctx: GraphqlContext) =>
          users.register(parseInput(RegisterInput, args.input), await ctx.requestContext()),
        login: async (_root, args: unknown, ctx: GraphqlContext) =>
          users.login(parseInput(LoginInput, args, ''), await ctx.requestContext()),
        refresh: async (_root, args: unknown, ctx: GraphqlContext) =>
          users.refresh(parseInput(RefreshInput, args, ''), await ctx.requestContext()),
        updateMe: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return users.updateMe(parseInput(UpdateMeInput, args.input), caller);
        },
        becomeHost: async (_root, _args, ctx: GraphqlContext) => users.becomeHost(await requireCaller(ctx)),
        verifyEmail: async (_root, args: unknown, ctx: GraphqlContext) =>
          users.verifyEmail(parseInput(VerifyEmailInput, args, ''), await ctx.requestContext()),
        requestPasswordReset: async (_root, args: unknown, ctx: GraphqlContext) => {
          await users.requestPasswordReset(parseInput(PasswordResetRequestInput, args, ''), await ctx.requestContext());
          return true;
        },
        confirmPasswordReset: async (_root, args: unknown, ctx: GraphqlContext) => {
          await users.confirmPasswordReset(parseInput(PasswordResetConfirmInput, args, ''), await ctx.requestContext());
          return true;
        },
      },
    },
  };
}
