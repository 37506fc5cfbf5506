import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import { CreateIcalImportInput, IcalImport } from './ical.imports.schemas.js';
import type { IcalApi } from './ical.service.js';
import { ICAL_IMPORT_STATUSES } from './ical.table.js';

const importStatus = graphqlEnum('IcalImportStatus', ICAL_IMPORT_STATUSES, {
  about: 'The outcome of an imported calendar’s last sync.',
  values: {
    pending: 'Not fetched yet (its first sync is queued).',
    ok: 'The last fetch brought a calendar, now applied.',
    not_modified: 'The server answered 304: the last calendar still applies.',
    error: 'The last fetch or parse failed (see `error`); the nights of the last good sync stay blocked.',
  },
});

const PROPERTY_ID = '"The property\'s id."';

export const icalTypeDefs = describedFrom(
  { IcalImport },
  sdl(
    importStatus,
    /* GraphQL */ `
      "An external calendar imported into a place: its events block the nights they cover, like host blocks."
      type IcalImport {
        "The import's id."
        id: ID!
        "The place's id."
        propertyId: ID!
        url: String!
        "The name the host gave it."
        name: String!
        status: IcalImportStatus!
        error: String
        eventCount: Int!
        conflictCount: Int!
        lastSyncAt: DateTime
        lastSuccessAt: DateTime
        nextSyncAt: DateTime!
        "When it was added."
        createdAt: DateTime!
      }
    `,
    graphqlInput('CreateIcalImportInput', CreateIcalImportInput, {
      about: 'An external calendar to import: its URL and a name.',
      descriptions: {
        url: 'The calendar’s export URL (http or https, no credentials); fetched from public addresses only.',
        name: 'A name for it, 1–80 characters.',
      },
    }),
    /* GraphQL */ `
      extend type Property {
        "The secret URL of the place's calendar feed (iCal), for its host once made (GET /v1/properties/{id}/ical or rotateIcalToken); null for anyone else."
        icalUrl: String
        "The external calendars imported into the place, oldest first, for its host; null for anyone else."
        icalImports: [IcalImport!]
      }

      extend type Mutation {
        "Replaces the secret of the place's calendar feed and answers the new URL; the old one stops working at once. Its host only (NOT_FOUND when the place is not visible, FORBIDDEN when not theirs)."
        rotateIcalToken(${PROPERTY_ID} propertyId: ID!): String!
        "Imports an external calendar into the place (its host; NOT_FOUND for anyone else); its first sync is queued at once. At most 5 a place (CONFLICT too_many_ical_imports). Same rules as POST /v1/properties/{id}/ical/imports."
        addIcalImport(${PROPERTY_ID} propertyId: ID!, "The calendar to import." input: CreateIcalImportInput!): IcalImport!
        "Queues a sync of an imported calendar now (its host) and answers it as it is; at most one a minute per calendar (RATE_LIMITED ical_sync_too_soon). Same rules as POST /v1/properties/{id}/ical/imports/{importId}/sync."
        syncIcalImport(${PROPERTY_ID} propertyId: ID!, "The import's id." importId: ID!): IcalImport!
        "Removes an imported calendar (its host) and frees the nights it blocked; NOT_FOUND when the place has no such import."
        removeIcalImport(${PROPERTY_ID} propertyId: ID!, "The import's id." importId: ID!): Boolean!
      }
    `,
  ),
);

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
        addIcalImport: async (_root, args: { propertyId: unknown; input: unknown }, ctx: GraphqlContext) => {
          await requireCaller(ctx);
          const input = parseInput(CreateIcalImportInput, args.input);
          return ical.addImport(parseId(args.propertyId), input, await ctx.requestContext());
        },
        syncIcalImport: async (_root, args: { propertyId: unknown; importId: unknown }, ctx: GraphqlContext) => {
          await requireCaller(ctx);
          return ical.requestSync(parseId(args.propertyId), parseId(args.importId), await ctx.requestContext());
        },
        removeIcalImport: async (_root, args: { propertyId: unknown; importId: unknown }, ctx: GraphqlContext) => {
          await requireCaller(ctx);
          await ical.removeImport(parseId(args.propertyId), parseId(args.importId), await ctx.requestContext());
          return true;
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
        // The host's own places only (a feed's URL is a secret of theirs); null elsewhere.
        icalImports: async (queries: { obj: { id: string; hostId: string } }[], ctx: GraphqlContext) => {
          const rc = await ctx.requestContext();
          return Promise.all(
            queries.map((q) =>
              rc.actor?.id === q.obj.hostId ? ical.listImports(q.obj.id, rc) : Promise.resolve(null),
            ),
          );
        },
      },
    },
  };
}
