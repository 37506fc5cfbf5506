// Wishlists: a user's named lists of places (at most 50, of at most 1,000 places each),
// private to their owner unless shared through a read-only link, and the `saved` mark that
// signed-in callers see on every place (a `viewer` extension of places, one query a page).
// Places that are unlisted or deleted drop out of lists when read; deleted ones are also
// taken out of every list in the delete's transaction.
import { defineModule } from '../../module.js';
import { propertiesModule } from '../properties/index.js';
import { usersModule } from '../users/index.js';
import { wishlistsConstraints } from './wishlists.errors.js';
import { wishlistsGraphql } from './wishlists.graphql.js';
import { wishlistsRoutes } from './wishlists.routes.js';
import { createWishlistsService } from './wishlists.service.js';
import { wishlistPlaces, wishlists } from './wishlists.table.js';

export const wishlistsModule = defineModule({
  name: 'wishlists',
  // users: the owner of a list; properties: the places kept, their cards and `saved`.
  dependsOn: [usersModule, propertiesModule],
  tables: { wishlists, wishlistPlaces },
  openapi: { tags: [{ name: 'wishlists', description: 'Lists of places a user keeps, and their shared links' }] },
  constraints: wishlistsConstraints,
  createService: ({ db, clock, properties }) => {
    const service = createWishlistsService({ db, clock, properties });
    properties.extendProperties({
      scope: 'viewer',
      async load(ids, { viewerId }) {
        if (!viewerId) return new Map();
        const saved = await service.savedAmong(viewerId, ids);
        return new Map(ids.map((id) => [id, { saved: saved.has(id) }]));
      },
    });
    return service;
  },
  routes: (service) => (app) => wishlistsRoutes(app, { wishlists: service }),
  graphql: (service) => wishlistsGraphql(service),
  personalData: (service) => [{ section: 'wishlists', rows: (userId) => service.wishlistsOf(userId) }],
  onAccountClosed: (service) => (userId, tx) => service.eraseUserWishlists(userId, tx),
  listens: (service) => ({
    'property.deleted': (tx, { propertyId }) => service.forgetPlace(tx, propertyId),
  }),
});
