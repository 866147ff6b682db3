export { ia3 } from './ia3';
export { createIa3Module } from './ia3-module';
