import { AppError } from '../../platform/errors.js';

export const jobNotDead = (state: string) =>
  new AppError('conflict', 'job_not_dead', 'Only a dead job can be retried.', { details: { state } });
