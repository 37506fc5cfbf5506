import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId } from '../../graphql/input.js';
import type { IcalApi } from './ical.service.js';

export const icalTypeDefs = /* GraphQL */ `
  extend type Property {
    "The secret URL of the place's calendar feed (iCal), for its host once made (GET /v1/properties/{id}/ical or rotateIcalToken); null for anyone else."
    icalUrl: String
  }

  extend type Mutation {
    "Replaces the secret of the place's calendar feed and answers the new URL; the old one stops working at once. Its host only (NOT_FOUND when the place is not visible, FORBIDDEN when not theirs)."
    rotateIcalToken("The place's id." propertyId: ID!): String!
  }
`;

export function icalGraphql(ical: IcalApi): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  return {
    typeDefs: icalTypeDefs,
    resolvers: {
      Mutation: {
        rotateIcalToken: async (_root, args: { propertyId: unknown }, ctx: GraphqlContext) => {
          await requireCaller(ctx);
          const { url } = await ical.rotateExportToken(parseId(args.propertyId), await ctx.requestContext());
          return url;
        },
      },
    },
    loaders: {
      Property: {
        // One query for a whole page of places, and none when the caller hosts none of them.
        icalUrl: async (queries: { obj: { id: string; hostId: string } }[], ctx: GraphqlContext) =>
          ical.exportLinksFor(
            queries.map((q) => q.obj),
            await ctx.requestContext(),
          ),
      },
    },
  };
}
