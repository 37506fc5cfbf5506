import { AppError } from '../../platform/errors.js';

export const alreadyBlocked = (ip: string) =>
  new AppError('conflict', 'ip_already_blocked', 'This range is already on the block list.', { details: { ip } });

export const blockListFull = (max: number) =>
  new AppError('conflict', 'block_list_full', `The block list holds at most ${max} ranges; remove some first.`);

export const rangeTooWide = (minPrefix: number) =>
  new AppError('invalid', 'range_too_wide', `A range must be /${minPrefix} or narrower.`, {
    errors: [{ path: 'ip', message: `Prefix shorter than /${minPrefix}.` }],
  });

export const wouldBlockYourself = () =>
  new AppError('invalid', 'would_block_yourself', 'This range covers the address you are calling from.', {
    errors: [{ path: 'ip', message: 'Covers your own address.' }],
  });
