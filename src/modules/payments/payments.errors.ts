import { AppError, notFound } from '../../platform/errors.js';

export const paymentNotFound = () => notFound('payment');
export const providerNotFound = () => notFound('payment_provider');
export const checkoutNotFound = () => notFound('checkout');
export const notBookingGuest = () =>
  new AppError('forbidden', 'not_booking_guest', 'Only the guest of this booking can pay for it.');
export const bookingNotPayable = (reason: string) =>
  new AppError('conflict', 'booking_not_payable', `This booking cannot be paid: ${reason}.`, { details: { reason } });
export const checkoutSettled = () =>
  new AppError('conflict', 'checkout_settled', 'This checkout has already been paid or declined.');
