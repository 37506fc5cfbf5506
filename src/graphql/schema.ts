import type { IResolvers } from 'mercurius';

/** Roots every module extends; each module brings `{ typeDefs, resolvers }`. */
const rootTypeDefs = /* GraphQL */ `
  type Query
  type Mutation
`;

export interface GraphqlModule {
  typeDefs: string;
  resolvers: IResolvers;
}

export function assembleSchema(modules: GraphqlModule[]): { schema: string[]; resolvers: IResolvers } {
  const resolvers: IResolvers = {};
  for (const m of modules) {
    for (const [typeName, fields] of Object.entries(m.resolvers)) {
      resolvers[typeName] = { ...(resolvers[typeName] as object | undefined), ...(fields as object) };
    }
  }
  return { schema: [rootTypeDefs, ...modules.map((m) => m.typeDefs)], resolvers };
}
