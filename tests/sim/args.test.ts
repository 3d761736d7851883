import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';

const env = { ORGANISER_EMAIL: 'sim@example.org', ORGANISER_PASSWORD: 'simulation-pass-1' };

describe('parseArgs', () => {
  it('reads a generate command', () => {
    expect(parseArgs(['--generate', '500', '--seed', '3', '--out', 't.csv'])).toEqual({ mode: 'generate', n: 500, seed: 3, out: 't.csv', durationS: 10_800 });
    expect(parseArgs(['--generate=40', '--seed=1'])).toMatchObject({ n: 40, out: null });
  });

  it('reads a replay command with defaults and credentials from the environment', () => {
    expect(parseArgs(['--trace', 'x.csv'], env)).toEqual({
      mode: 'replay',
      trace: 'x.csv',
      url: 'http://127.0.0.1:3000',
      speed: 60,
      seed: 1,
      eventId: null,
      email: 'sim@example.org',
      password: 'simulation-pass-1',
      setupToken: null,
      progressMin: 10,
      tailS: 600,
    });
    expect(parseArgs(['--trace', 'x.csv', '--url', 'http://localhost:3999/', '--speed', '120', '--email', 'o@x.org', '--password', 'p'], env)).toMatchObject({
      url: 'http://localhost:3999',
      speed: 120,
      email: 'o@x.org',
      password: 'p',
    });
  });

  it.each([
    [[], /either --generate/],
    [['--generate', '5', '--trace', 'x'], /either --generate/],
    [['--generate', '5'], /needs --seed/],
    [['--generate', 'five', '--seed', '1'], /whole number/],
    [['--generate', '5', '--seed', '1', '--speed', '2'], /does not go with --generate/],
    [['--trace', 'x', '--url', 'http://example.org'], /this machine/],
    [['--trace', 'x', '--url', 'http://127.0.0.1:3000/api'], /without a path/],
    [['--trace', 'x', '--speed', '0'], /above 0/],
    [['--trace', 'x', '--event', '42'], /UUID/],
    [['--trace', 'x', '--colour', 'red'], /unknown option --colour/],
    [['--trace'], /needs a value/],
    [['--trace', 'x', '--trace', 'y'], /twice/],
    [['trace.csv'], /unexpected argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv, env)).toThrow(UsageError);
    expect(() => parseArgs(argv, env)).toThrow(message);
  });

  it('asks for organiser credentials when neither flags nor environment give them', () => {
    expect(() => parseArgs(['--trace', 'x'], {})).toThrow(/credentials/);
  });
});
