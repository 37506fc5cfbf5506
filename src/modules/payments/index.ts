// Payments: checkout at a provider (sandbox, Chapa, Stripe) behind one interface, the
// provider's signed webhooks applied exactly once, and refunds.
export {};
