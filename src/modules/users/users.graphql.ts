import type { IResolvers } from 'mercurius';
import { parseInput, withoutNulls, type GraphqlContext } from '../../graphql/context.js';
import { LoginInput, RefreshInput, RegisterInput, UpdateMeInput } from './users.schemas.js';
import type { UsersService } from './users.service.js';

export const usersTypeDefs = /* GraphQL */ `
  enum Role {
    guest
    host
    admin
  }

  enum RegistrableRole {
    guest
    host
  }

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

  input RegisterInput {
    email: String!
    password: String!
    firstName: String!
    lastName: String!
    phone: String
    role: RegistrableRole
  }

  input UpdateMeInput {
    firstName: String
    lastName: String
    "null clears the phone number."
    phone: String
  }

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
  }
`;

export function usersGraphql(users: UsersService): { typeDefs: string; resolvers: IResolvers } {
  return {
    typeDefs: usersTypeDefs,
    resolvers: {
      Query: {
        me: async (_root, _args, ctx: GraphqlContext) => users.getMe(await ctx.requestContext()),
      },
      Mutation: {
        register: async (_root, args: { input: Record<string, unknown> }, ctx: GraphqlContext) =>
          users.register(parseInput(RegisterInput, withoutNulls(args.input)), await ctx.requestContext()),
        login: async (_root, args: Record<string, unknown>, ctx: GraphqlContext) =>
          users.login(parseInput(LoginInput, args, ''), await ctx.requestContext()),
        refresh: async (_root, args: Record<string, unknown>, ctx: GraphqlContext) =>
          users.refresh(parseInput(RefreshInput, args, ''), await ctx.requestContext()),
        updateMe: async (_root, args: { input: Record<string, unknown> }, ctx: GraphqlContext) =>
          users.updateMe(parseInput(UpdateMeInput, withoutNulls(args.input, ['phone'])), await ctx.requestContext()),
        becomeHost: async (_root, _args, ctx: GraphqlContext) => users.becomeHost(await ctx.requestContext()),
      },
    },
  };
}
