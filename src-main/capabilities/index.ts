export * from './registry';
export * from './profiles';
export * from './gate';
