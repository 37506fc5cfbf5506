import type { IResolvers } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { graphqlInput, sdl } from '../../graphql/sdl.js';
import {
  CALENDAR_MAX_DAYS,
  CalendarQuery,
  MAX_PRICE_OVERRIDES,
  MAX_PRICE_RANGES,
  PRICES_DAYS_AHEAD,
  PriceRangeInput,
  SetCalendarPricesInput,
} from './properties.prices.schemas.js';
import type { PropertiesApi } from './properties.service.js';

// Prices by date and the per-night calendar: the same service as PUT /v1/properties/{id}/calendar/prices
// and GET /v1/properties/{id}/calendar.

const priceRangeInput = graphqlInput('PriceRangeInput', PriceRangeInput, {
  about: 'Nights [start, end) and what they get; neither `nightlyPrice` nor `minNights` clears them.',
  descriptions: {
    start: 'The first night of the range.',
    end: 'The day after the last night (exclusive).',
    nightlyPrice: 'The price of each night, minor units, 1 to 100000000; left out = the place’s own rule.',
    minNights: 'The shortest stay checking in on a night of the range, 1 to 365; left out = the place’s.',
  },
});

export const pricesTypeDefs = sdl(
  priceRangeInput,
  graphqlInput('SetCalendarPricesInput', SetCalendarPricesInput, {
    uses: [priceRangeInput],
    types: { ranges: '[PriceRangeInput!]!' },
    about: 'Prices and minimum stays by date.',
    descriptions: {
      ranges: `1 to ${MAX_PRICE_RANGES} ranges, not overlapping each other, within the next ${PRICES_DAYS_AHEAD} days (the place’s time zone).`,
    },
  }),
  /* GraphQL */ `
    "One night of a place's calendar."
    type CalendarNight {
      "The night (the date it begins on)."
      date: Date!
      "Its price, minor units: its override, else the weekend price on Friday and Saturday nights, else the nightly price."
      price: Int!
      "Free: no booking holds it and no block closes it."
      available: Boolean!
      "The shortest stay checking in on this night."
      minNights: Int!
    }

    "Nights of a place with a price or minimum stay of their own: [start, end)."
    type PriceOverride {
      "The first night."
      start: Date!
      "The day after the last night (exclusive)."
      end: Date!
      "The price of each night, minor units; null = the place's own rule."
      nightlyPrice: Int
      "The shortest stay checking in on these nights; null = the place's."
      minNights: Int
    }

    "A place's overrides after a change."
    type CalendarPrices {
      "The overrides overlapping the window the change touched (its first start to its last end), in date order."
      overrides: [PriceOverride!]!
    }

    extend type Property {
      "Each night of [from, to), at most ${CALENDAR_MAX_DAYS} days: its price, whether it is free, its minimum stay."
      calendar("The first night." from: Date!, "Exclusive." to: Date!): [CalendarNight!]!
    }

    extend type Mutation {
      "Sets prices and minimum stays by date (its host): each range replaces the overrides it overlap (trimmed, split or removed), in one transaction. CONFLICT \`too_many_price_overrides\` past ${MAX_PRICE_OVERRIDES} ranges per place; BAD_USER_INPUT \`prices_out_of_window\` outside the next ${PRICES_DAYS_AHEAD} days."
      setCalendarPrices("The place's id." propertyId: ID!, "The ranges." input: SetCalendarPricesInput!): CalendarPrices!
    }
  `,
);

export function pricesGraphql(properties: PropertiesApi): { typeDefs: string; resolvers: IResolvers } {
  return {
    typeDefs: pricesTypeDefs,
    resolvers: {
      Property: {
        calendar: async (obj: { id: string }, args: { from: unknown; to: unknown }, ctx: GraphqlContext) => {
          const query = parseInput(CalendarQuery, { from: args.from, to: args.to });
          return (await properties.getCalendar(obj.id, query, await ctx.requestContext())).nights;
        },
      },
      Mutation: {
        setCalendarPrices: async (_root, args: { propertyId: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.propertyId);
          return properties.setCalendarPrices(id, parseInput(SetCalendarPricesInput, args.input), caller);
        },
      },
    },
  };
}
