// Ledger and payouts: every movement of guests' and hosts' money as balanced, append-only
// double-entry postings (captures, refunds, payouts), written in the transaction of the
// payment change that causes them; hosts' earnings, their payout accounts at the provider,
// the daily payout of each host's due balance, statements, and the admin's check of the books.
import { defineModule } from '../../module.js';
import { createPayoutProvider } from '../../platform/payments/index.js';
import { bookingsModule } from '../bookings/index.js';
import { paymentsModule } from '../payments/index.js';
import { usersModule } from '../users/index.js';
import { ledgerConstraints } from './ledger.errors.js';
import { ledgerEvents } from './ledger.events.js';
import { ledgerGraphql } from './ledger.graphql.js';
import { ledgerJobs, ledgerSchedules } from './ledger.jobs.js';
import { ledgerRoutes } from './ledger.routes.js';
import { createLedgerService } from './ledger.service.js';
import { ledgerSettings } from './ledger.settings.js';
import { ledgerBalances, ledgerEntries, ledgerPostings, payoutAccounts, payouts } from './ledger.table.js';

/** The payment provider settings, read from the payments module's part of the configuration. */
interface ProviderSettings {
  provider: string;
  stripe: { secretKey: string | undefined; apiUrl: string };
}

export const ledgerModule = defineModule({
  name: 'ledger',
  // payments: its capture and refund events; bookings: stays' prices for the check; users: a host's e-mail for the provider.
  dependsOn: [usersModule, bookingsModule, paymentsModule],
  tables: { ledgerPostings, ledgerEntries, ledgerBalances, payoutAccounts, payouts },
  settings: ledgerSettings,
  openapi: {
    tags: [{ name: 'payouts', description: 'Hosts’ earnings, payout accounts and payouts; the ledger check' }],
  },
  constraints: ledgerConstraints,
  events: ledgerEvents,
  createService: ({ db, clock, config, settings, bookings, users, publish }) => {
    // The provider that takes payments pays hosts out: its settings belong to the payments module.
    const payments = (config as unknown as { settings: { payments: ProviderSettings } }).settings.payments;
    return createLedgerService({
      db,
      clock,
      bookings,
      users,
      publish,
      hostFeePercent: settings.hostFeePercent,
      publicUrl: config.publicUrl,
      provider: createPayoutProvider({
        active: payments.provider,
        publicUrl: config.publicUrl,
        stripe: payments.stripe,
      }),
    });
  },
  routes: (service) => (app) => ledgerRoutes(app, { ledger: service }),
  graphql: (service) => ledgerGraphql(service),
  jobs: (service) => ledgerJobs(service),
  schedules: ledgerSchedules,
  listens: (service) => ({
    'payment.succeeded': (tx, event) => service.onPaymentSucceeded(tx, event),
    'payment.refunded': (tx, event) => service.onPaymentRefunded(tx, event),
  }),
  personalData: (service) => [
    { section: 'earnings', rows: (userId) => service.earningsOf(userId) },
    { section: 'payouts', rows: (userId) => service.payoutsOf(userId) },
  ],
  onAccountClosed: (service) => (userId, tx) => service.refuseClosureWithBalance(userId, tx),
});
