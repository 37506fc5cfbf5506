// Every table of every module, for the Drizzle client and drizzle-kit.
export * from '../../modules/users/users.table.js';
export * from '../../modules/audit/audit.table.js';
export * from '../../modules/properties/properties.table.js';
