export * from './number.js';
export * from './messages.js';
