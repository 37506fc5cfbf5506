import { declareEvents } from '../../module.js';
import type { RequestContext } from '../../platform/context.js';

/** `property.deleted`: published inside the delete's transaction, once the place is marked deleted. */
export interface PropertyDeletedEvent {
  propertyId: string;
  ctx: RequestContext;
}

/** `property.updated`: published inside the update's transaction; `fields` names what the host sent. */
export interface PropertyUpdatedEvent {
  propertyId: string;
  hostId: string;
  fields: string[];
}

/**
 * `calendar.changed`: a place's availability or prices changed other than by a booking — a
 * host block added or removed, prices by date set, an imported calendar's ranges changed —
 * published inside the change's transaction. `from`/`to` bound the days touched when known.
 */
export interface CalendarChangedEvent {
  propertyId: string;
  hostId: string;
  reason: 'block_added' | 'block_removed' | 'prices' | 'external';
  from?: string;
  to?: string;
}

/** The events properties publishes; a handler that throws rolls the change back. */
export type PropertyEvents = {
  'property.deleted': PropertyDeletedEvent;
  'property.updated': PropertyUpdatedEvent;
  'calendar.changed': CalendarChangedEvent;
};

export const propertyEvents = declareEvents<PropertyEvents>('property.deleted', 'property.updated', 'calendar.changed');
