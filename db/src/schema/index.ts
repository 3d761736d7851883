export * from './organisers';
export * from './events';
export * from './attendees';
export * from './devices';
export * from './checkins';
export * from './intents';
export * from './matching';
export * from './followup';
