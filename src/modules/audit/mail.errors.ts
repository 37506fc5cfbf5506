import { AppError } from '../../platform/errors.js';

export const mailDeliveryNotFound = () =>
  new AppError('not_found', 'mail_delivery_not_found', 'No e-mail has this de-duplication key.');

export const mailNotInDoubt = (state: string) =>
  new AppError(
    'conflict',
    'mail_not_in_doubt',
    'Only an e-mail in doubt can be resolved: one still being sent after MAIL_SENDING_TIMEOUT_SECONDS.',
    { details: { state } },
  );

export const mailJobMissing = () =>
  new AppError(
    'conflict',
    'mail_job_missing',
    'No job can send this e-mail again: it was sent outside a job, or its job was purged.',
  );

export const mailJobRunning = (jobId: string) =>
  new AppError(
    'conflict',
    'mail_job_running',
    'The job that sends this e-mail is running now; try again once it ends.',
    {
      details: { jobId },
    },
  );
