export * from './optimizers';
export * from './train-step';
