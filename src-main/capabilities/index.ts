export * from './registry';
export * from './profiles';
export * from './policy';
export * from './gate';
export * from './consent';
export * from './admission';
