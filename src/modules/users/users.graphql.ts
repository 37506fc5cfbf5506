import type { IResolvers } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseInput } from '../../graphql/input.js';
import { graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import { ROLES } from '../../platform/context.js';
import {
  LoginInput,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  RefreshInput,
  RegisterInput,
  RegistrableRole,
  UpdateMeInput,
  VerifyEmailInput,
} from './users.schemas.js';
import type { UsersService } from './users.service.js';

const role = graphqlEnum('Role', ROLES);
const registrableRole = graphqlEnum('RegistrableRole', RegistrableRole.options);

export const usersTypeDefs = sdl(
  role,
  registrableRole,
  /* GraphQL */ `
    type User {
      id: ID!
      email: String!
      firstName: String!
      lastName: String!
      phone: String
      role: Role!
      emailVerified: Boolean!
      "ISO-8601 UTC instant."
      createdAt: String!
    }

    "What anyone may see of another user: no e-mail, no phone."
    type PublicProfile {
      id: ID!
      firstName: String!
      "ISO-8601 UTC instant the account was created."
      memberSince: String!
    }

    type AuthPayload {
      user: User!
      accessToken: String!
      refreshToken: String!
      "Access token lifetime in seconds."
      expiresIn: Int!
    }
  `,
  graphqlInput('RegisterInput', RegisterInput, {
    uses: [registrableRole],
    descriptions: {
      password:
        'At least 10 characters and hard to guess: common, repeated and keyboard-row passwords, and ones built on your name or e-mail, are refused (BAD_USER_INPUT with the reason).',
    },
  }),
  graphqlInput('UpdateMeInput', UpdateMeInput, { descriptions: { phone: 'null clears the phone number.' } }),
  /* GraphQL */ `
    extend type Query {
      "The signed-in user."
      me: User!
    }

    extend type Mutation {
      register(input: RegisterInput!): AuthPayload!
      login(email: String!, password: String!): AuthPayload!
      refresh(refreshToken: String!): AuthPayload!
      updateMe(input: UpdateMeInput!): User!
      becomeHost: User!
      "Confirms the e-mail address with the token from the verification e-mail (single use, 1 h). BAD_USER_INPUT \`invalid_token\` when unknown, expired or used."
      verifyEmail(token: String!): User!
      "E-mails a single-use password-reset link (1 h) if the account exists. Always true, whether or not it does."
      requestPasswordReset(email: String!): Boolean!
      "Sets a new password with the token of a reset e-mail (single use, 1 h); revokes every session of the account."
      confirmPasswordReset(token: String!, password: String!): Boolean!
    }
  `,
);

export function usersGraphql(users: UsersService): { typeDefs: string; resolvers: IResolvers } {
  return {
    typeDefs: usersTypeDefs,
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
