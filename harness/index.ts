// Library entry point: what tests and other programs import.
export * from './wire/bytes.js';
export * from './wire/address.js';
export * from './wire/checksum.js';
export * from './wire/known.js';
export * from './wire/packet.js';
export * from './wire/wire-error.js';
export * from './wire/ipv4.js';
export * from './stage.js';
export * from './io/input-error.js';
export * from './model.js';
export * from './scenario/load.js';
export * from './scenario/schema.js';
