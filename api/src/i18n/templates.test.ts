import { describe, expect, it } from 'vitest';
import { defaultEventSettings, EventSettings, eventTemplates } from '@edgewise/shared';
import { translatedVocabulary } from './templates';

describe('the template vocabularies in every language', () => {
  it.each([...eventTemplates.map((t) => t.id), 'default'])('%s makes event settings that can be saved again as they are', (id) => {
    const vocabulary = translatedVocabulary(id);
    expect(vocabulary).not.toBeNull();
    const settings = { ...defaultEventSettings, topics: vocabulary!.topics, interestTags: vocabulary!.interests, interestTranslations: vocabulary!.interestTranslations };
    const parsed = EventSettings.safeParse(settings);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });
});
