import { describe, expect, it } from 'vitest';
import { replacementThreshold, tagUnits } from './score';
import { T0, aPerson, aRoom, minutes } from './testing';

describe('tagUnits', () => {
  it('rewards reciprocity over a louder one-sided pitch', () => {
    const reciprocal = tagUnits(1, 1, 0);
    const oneSided = tagUnits(3, 0, 0);
    expect(reciprocal).toBe(70);
    expect(oneSided).toBe(60);
    expect(reciprocal).toBeGreaterThan(oneSided);
  });

  it('counts giving as much as receiving', () => {
    expect(tagUnits(0, 2, 0)).toBe(tagUnits(2, 0, 0));
  });

  it('adds common ground, with diminishing room past three shared interests', () => {
    expect(tagUnits(0, 0, 2)).toBe(20);
    expect(tagUnits(0, 0, 7)).toBe(tagUnits(0, 0, 3));
  });
});

describe('replacementThreshold', () => {
  it('asks for a quarter more and at least one point', () => {
    expect(replacementThreshold(70)).toBe(88);
    expect(replacementThreshold(20)).toBe(30);
    expect(replacementThreshold(0)).toBe(10);
  });
});

describe('pair scores in the engine', () => {
  const ana = aPerson('ana', { seeks: ['Design'], offers: ['Engineering'], interests: ['Climate'] });

  it('scores what each can give the other, and shared interests', () => {
    const sut = aRoom([ana, aPerson('ben', { seeks: ['engineering'], offers: [' design '], interests: ['climate', 'AI'] })]);
    // 1 tag each way (70 units) plus one shared interest (10): tags match whatever their case.
    expect(sut.pairScore('ana', 'ben')).toBe(8);
    expect(sut.pairScore('ben', 'ana')).toBe(8);
  });

  it('gives a host and a first-timer a reason to meet even with nothing in common', () => {
    const sut = aRoom([aPerson('hana', { host: true }), aPerson('finn', { firstTime: true }), aPerson('rita')]);
    expect(sut.pairScore('hana', 'finn')).toBe(2);
    expect(sut.pairScore('rita', 'finn')).toBe(0);
  });

  it('sends hosts to people left alone past the edge minutes, not before', () => {
    const lonely = aPerson('lou', { hasAccepted: false, arrivedAt: T0 });
    const sut = aRoom([aPerson('hana', { host: true }), lonely]);
    expect(sut.pairScore('hana', 'lou', T0 + minutes(5))).toBe(0);
    expect(sut.pairScore('hana', 'lou', T0 + minutes(10))).toBe(2);
  });

  it('adds a little when someone present knows both', () => {
    const ben = aPerson('ben', { interests: ['Climate'] });
    const alone = aRoom([ana, ben, aPerson('carla')]);
    const introduced = aRoom([ana, ben, aPerson('carla', { knows: ['ana', 'ben'] })]);
    expect(alone.pairScore('ana', 'ben')).toBe(1);
    expect(introduced.pairScore('ana', 'ben')).toBe(1.5);
  });

  it('does not count an introducer who is not here', () => {
    const sut = aRoom([ana, aPerson('ben', { interests: ['Climate'] }), aPerson('carla', { knows: ['ana', 'ben'], present: false })]);
    expect(sut.pairScore('ana', 'ben')).toBe(1);
  });

  it('adds a little when one can introduce the other to someone offering what they seek', () => {
    const sut = aRoom([ana, aPerson('ben', { knows: ['xia'] }), aPerson('xia', { offers: ['Design'] })]);
    // ana and ben share nothing, but ben knows xia, who offers what ana seeks.
    expect(sut.pairScore('ana', 'ben')).toBe(0.5);
  });

  it('ranks people who already know each other low', () => {
    const ben = aPerson('ben', { seeks: ['Engineering'], offers: ['Design'], interests: ['Climate'], knows: ['ana'] });
    const sut = aRoom([ana, ben]);
    expect(sut.pairScore('ana', 'ben')).toBe(2);
  });

  it('has no score for pairs that may not be suggested', () => {
    const sut = aRoom([ana, aPerson('ben', { offers: ['Design'] }), aPerson('olga', { optedOut: true }), aPerson('gone', { present: false })]);
    sut.recordPairState('ana', 'ben', 'declined', T0);
    expect(sut.pairScore('ana', 'ben')).toBeNull();
    expect(sut.pairScore('ana', 'olga')).toBeNull();
    expect(sut.pairScore('ana', 'gone')).toBeNull();
    expect(sut.pairScore('ana', 'ana')).toBeNull();
  });
});
