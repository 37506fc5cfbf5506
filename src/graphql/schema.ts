import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { pageInfoTypeDefs } from './relay.js';
import { scalarResolvers, scalarTypeDefs } from './scalars.js';

/** Roots every module extends, and the types modules share; each module brings `{ typeDefs, resolvers }`. */
const rootTypeDefs = /* GraphQL */ `
  "What can be read. Each field runs the same use case as its REST call, under the same rules."
  type Query
  "What can be changed. Each field runs the same use case as its REST call, under the same rules."
  type Mutation
  ${scalarTypeDefs}
`;

export interface GraphqlModule {
  typeDefs: string;
  resolvers: IResolvers;
  loaders?: MercuriusLoaders;
}

export function assembleSchema(modules: GraphqlModule[]): {
  schema: string[];
  resolvers: IResolvers;
  loaders: MercuriusLoaders;
} {
  const resolvers: IResolvers = { ...scalarResolvers };
  const loaders: MercuriusLoaders = {};
  for (const m of modules) {
    for (const [typeName, fields] of Object.entries(m.resolvers)) {
      resolvers[typeName] = { ...(resolvers[typeName] as object | undefined), ...(fields as object) };
    }
    for (const [typeName, fields] of Object.entries(m.loaders ?? {})) {
      loaders[typeName] = { ...loaders[typeName], ...fields };
    }
  }
  return { schema: [rootTypeDefs, ...modules.map((m) => m.typeDefs), pageInfoTypeDefs], resolvers, loaders };
}
