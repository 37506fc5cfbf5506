import { PASSWORD, uniqueEmail } from '#test/helpers.js';
import {
  app,
  full,
  gql,
  refreshTokenCount,
  rest,
  type Scenario,
  sideEffects,
  userRow,
  withGuest,
} from '#test/parity/kit.js';

/**
 * Registration, sign-in, sessions and the signed-in user: the same over REST and GraphQL
 * (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'register',
    kind: 'write',
    setup: async () => {},
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: '/v1/auth/register',
          payload: {
            email: w.name(uniqueEmail(), 'email'),
            password: PASSWORD,
            firstName: 'Ada',
            lastName: 'Lovelace',
            phone: '+15550001111',
            role: 'host',
          },
        },
        201,
      ),
    graphql: (w) =>
      gql(undefined, `mutation($i: RegisterInput!) { register(input: $i) ${full('AuthPayload')} }`, {
        i: {
          email: w.name(uniqueEmail(), 'email'),
          password: PASSWORD,
          firstName: 'Ada',
          lastName: 'Lovelace',
          phone: '+15550001111',
          role: 'host',
        },
      }),
    stored: async (w, answer: { user: { id: string } }) => {
      w.name(answer.user.id, 'created');
      return {
        user: await userRow(answer.user.id),
        sessions: await refreshTokenCount(answer.user.id),
        ...(await sideEffects(answer.user.id)),
      };
    },
  },
  {
    name: 'login',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/auth/login', payload: { email: w.guest.user.email, password: PASSWORD } }, 200),
    graphql: (w) =>
      gql(undefined, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) ${full('AuthPayload')} }`, {
        e: w.guest.user.email,
        p: PASSWORD,
      }),
    stored: async (w) => ({ user: await userRow(w.guest.user.id), sessions: await refreshTokenCount(w.guest.user.id) }),
  },
  {
    name: 'refresh',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: w.guest.refreshToken } }, 200),
    graphql: (w) =>
      gql(undefined, `mutation($r: String!) { refresh(refreshToken: $r) ${full('AuthPayload')} }`, {
        r: w.guest.refreshToken,
      }),
    stored: async (w) => ({
      sessions: await refreshTokenCount(w.guest.user.id),
      // The old token is spent: refreshing with it again fails on both transports.
      reuse: (
        await app().inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: w.guest.refreshToken } })
      ).statusCode,
    }),
  },
  {
    name: 'me',
    kind: 'read',
    setup: withGuest,
    rest: (w) => rest({ url: '/v1/me', as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `{ me ${full('User')} }`),
  },
  {
    name: 'updateMe',
    kind: 'write',
    setup: withGuest,
    rest: (w) =>
      rest(
        {
          method: 'PATCH',
          url: '/v1/me',
          as: w.guest,
          payload: { firstName: 'Grace', lastName: 'Hopper', phone: null },
        },
        200,
      ),
    graphql: (w) =>
      gql(w.guest, `mutation($i: UpdateMeInput!) { updateMe(input: $i) ${full('User')} }`, {
        i: { firstName: 'Grace', lastName: 'Hopper', phone: null },
      }),
    stored: async (w) => ({ user: await userRow(w.guest.user.id) }),
  },
  {
    name: 'becomeHost',
    kind: 'write',
    setup: withGuest,
    rest: (w) => rest({ method: 'POST', url: '/v1/me/become-host', as: w.guest }, 200),
    graphql: (w) => gql(w.guest, `mutation { becomeHost ${full('User')} }`),
    stored: async (w) => ({ user: await userRow(w.guest.user.id), ...(await sideEffects(w.guest.user.id)) }),
  },
];
