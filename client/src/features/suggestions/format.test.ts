import { afterEach, describe, expect, it } from 'vitest';
import { currentLanguage } from '../../lib/i18n';
import { contactLinks, firstName, inRunningText, roleLine, stateNote } from './format';

describe('roleLine', () => {
  it('reads "role at company" and falls back to whichever half is known', () => {
    expect(roleLine({ role: 'Designer', company: 'Tidewater' })).toBe('Designer at Tidewater');
    expect(roleLine({ role: '', company: 'Tidewater' })).toBe('Tidewater');
    expect(roleLine({ role: 'Designer', company: ' ' })).toBe('Designer');
    expect(roleLine({ role: '', company: '' })).toBe('');
  });
});

describe('inRunningText', () => {
  afterEach(() => {
    currentLanguage.value = 'en';
  });

  it('drops the capital that only starts a label, inside an English sentence', () => {
    currentLanguage.value = 'en';
    expect(['A job', 'Investment', 'AI tools'].map(inRunningText)).toEqual(['a job', 'investment', 'AI tools']);
  });

  it('keeps German nouns capitalised', () => {
    currentLanguage.value = 'de';
    expect(inRunningText('Investition')).toBe('Investition');
  });
});

describe('contactLinks', () => {
  it('links an email, a phone number and a web link', () => {
    expect(contactLinks({ email: 'ana@example.org', phone: '+351 912 345 678', link: 'https://ana.example.org/work' })).toEqual([
      { kind: 'email', label: 'ana@example.org', href: 'mailto:ana@example.org' },
      { kind: 'phone', label: '+351 912 345 678', href: 'tel:+351912345678' },
      { kind: 'link', label: 'ana.example.org/work', href: 'https://ana.example.org/work' },
    ]);
  });

  it('never makes a script or other non-web link out of what someone typed', () => {
    expect(contactLinks({ email: null, phone: null, link: 'javascript:alert(1)' })).toEqual([]);
    expect(contactLinks({ email: 'x@y?subject=hi', phone: 'call me', link: 'not a url' })).toEqual([]);
  });

  it('has nothing to show before both said yes', () => {
    expect(contactLinks(null)).toEqual([]);
  });
});

describe('stateNote', () => {
  it('says what happens next from the viewer’s side', () => {
    expect(stateNote('proposed', false, null, 'Ben Okafor')).toBeNull();
    expect(stateNote('accepted_by_one', true, null, 'Ben Okafor')).toBe('Ben would like to meet you');
    expect(stateNote('accepted_by_one', false, 'yes', 'Ben Okafor')).toBe('You said yes: waiting for Ben');
    expect(stateNote('mutual', true, 'yes', 'Ben Okafor')).toBe('You both said yes');
    expect(stateNote('met', true, 'yes', 'Ben Okafor')).toBe('You met Ben');
    expect(stateNote('declined', false, 'no', 'Ben Okafor')).toBe('You said not now');
  });

  it('takes the first name', () => {
    expect(firstName('  Ana  Sousa ')).toBe('Ana');
  });
});
