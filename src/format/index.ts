export * from './number.js';
export * from './messages.js';
export * from './basis.js';
