import { declareEvents } from '../../module.js';
import type { RequestContext } from '../../platform/context.js';

/** `property.deleted`: published inside the delete's transaction, once the place is marked deleted. */
export interface PropertyDeletedEvent {
  propertyId: string;
  ctx: RequestContext;
}

/** The events properties publishes; a handler that throws rolls the change back. */
export type PropertyEvents = {
  'property.deleted': PropertyDeletedEvent;
};

export const propertyEvents = declareEvents<PropertyEvents>('property.deleted');
