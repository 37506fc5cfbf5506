import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { Property } from '../properties/index.js';
import { Photo, ReorderPhotosInput, UpdatePhotoInput } from './photos.schemas.js';
import type { PhotosApi } from './photos.service.js';
import { PHOTO_STATUSES } from './photos.table.js';

const photoStatus = graphqlEnum('PhotoStatus', PHOTO_STATUSES, {
  about: 'Where a photo is in its processing.',
  values: {
    processing: 'Uploaded; its variants are being made.',
    ready: 'Its variants exist; shown on the place.',
    failed: 'The file could not be decoded (see `failureReason`).',
  },
});

const PROPERTY_ID = '"The property\'s id."';
const PHOTO_ID = '"The photo\'s id."';

export const photosTypeDefs = describedFrom(
  { Photo },
  sdl(
    photoStatus,
    /* GraphQL */ `
      "A photo's public files: WebP, content-addressed, cacheable for ever."
      type PhotoUrls {
        "320 px wide (never upscaled)."
        small: String!
        "960 px wide (never upscaled)."
        medium: String!
        "1920 px wide (never upscaled)."
        large: String!
      }

      "A photo of a place. Uploads are REST only (POST /v1/properties/{id}/photos, multipart)."
      type Photo {
        "The photo's id."
        id: ID!
        status: PhotoStatus!
        "Up to 200 characters; null when none."
        caption: String
        width: Int
        "Height of the original, once oriented; null until processed."
        height: Int
        blurhash: String
        "The variants' URLs (absolute, or root-relative when this server serves them); null until ready."
        urls: PhotoUrls
        position: Int!
        failureReason: String
        "When it was uploaded."
        createdAt: DateTime!
      }
    `,
    graphqlInput('UpdatePhotoInput', UpdatePhotoInput, {
      about: 'A photo’s caption.',
      descriptions: { caption: 'Up to 200 characters; null or an empty string removes it.' },
    }),
    /* GraphQL */ `
      extend type Property {
        "Its ready photos, by position. In the answer about one place they come with it; on a page of places they are batch-loaded in one query."
        photos: [Photo!]!
        "The first ready photo by position; null while the place has none."
        coverPhoto: Photo
      }

      extend type Mutation {
        "Changes a photo's caption (the place's host); same rules and errors as PATCH /v1/properties/{id}/photos/{photoId}."
        updatePhoto(${PROPERTY_ID} propertyId: ID!, ${PHOTO_ID} photoId: ID!, "The new caption." input: UpdatePhotoInput!): Photo!
        "Puts a place's photos in a new order (its host): every photo id once, else BAD_USER_INPUT photo_order_mismatch. Answers the photos by position, every status."
        reorderPhotos(${PROPERTY_ID} propertyId: ID!, "Every photo id of the place, in the new order." order: [ID!]!): [Photo!]!
        "Deletes a photo (the place's host); its files go after commit, through a retried job."
        deletePhoto(${PROPERTY_ID} propertyId: ID!, ${PHOTO_ID} photoId: ID!): Boolean!
      }
    `,
  ),
);

export function photosGraphql(photos: PhotosApi): {
  typeDefs: string;
  resolvers: IResolvers;
  loaders: MercuriusLoaders;
} {
  return {
    typeDefs: photosTypeDefs,
    resolvers: {
      Property: {
        // Every place the properties module answers carries its cover.
        coverPhoto: (parent: Pick<Property, 'coverPhoto'>) => parent.coverPhoto ?? null,
      },
      Mutation: {
        updatePhoto: async (
          _root,
          args: { propertyId: unknown; photoId: unknown; input: unknown },
          ctx: GraphqlContext,
        ) => {
          const caller = await requireCaller(ctx);
          const propertyId = parseId(args.propertyId);
          const photoId = parseId(args.photoId);
          return photos.updatePhoto(propertyId, photoId, parseInput(UpdatePhotoInput, args.input), caller);
        },
        reorderPhotos: async (_root, args: { propertyId: unknown; order: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const propertyId = parseId(args.propertyId);
          const input = parseInput(ReorderPhotosInput, { order: args.order }, '');
          return (await photos.reorderPhotos(propertyId, input, caller)).data;
        },
        deletePhoto: async (_root, args: { propertyId: unknown; photoId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          await photos.deletePhoto(parseId(args.propertyId), parseId(args.photoId), caller);
          return true;
        },
      },
    },
    loaders: {
      Property: {
        // The detail carries its photos; places of a page are loaded together, in one query.
        photos: async (queries: { obj: Pick<Property, 'id' | 'photos'> }[]) => {
          const missing = [...new Set(queries.filter((q) => !q.obj.photos).map((q) => q.obj.id))];
          const loaded = missing.length > 0 ? await photos.photosOfProperties(missing) : new Map<string, never>();
          return queries.map((q) => q.obj.photos ?? loaded.get(q.obj.id) ?? []);
        },
      },
    },
  };
}
