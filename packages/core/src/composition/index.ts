export * from './blocks';
export * from './validate';
export * from './serialize';
