import fc from 'fast-check';
import { canonicalIdentifier } from '../../src/users/canonical-identifier.js';
import { foldCase } from '../../src/users/fold-case.js';

describe('foldCase', () => {
  it.each([
    ['ASCII', 'Alice', 'alice'],
    ['full-width letters (NFKC first)', 'ＡＬＩＣＥ', 'alice'],
    ['German sharp s: ß and ẞ are "ss" (full folding, not toLowerCase)', 'STRAẞE', 'strasse'],
    ['ß in lower case', 'straße', 'strasse'],
    ['final sigma is sigma', 'ΟΔΟΣ', 'οδοσ'],
    ['final sigma typed in lower case', 'οδος', 'οδοσ'],
    ['iota subscript', 'ᾈ', 'ἀι'],
    ['Cherokee small and capital letters', 'ꭰ', foldCase('Ꭰ')],
    ['long s and the Kelvin sign', 'ſK', 'sk'],
    ['ligatures', 'ﬀ', 'ff'],
    ['titlecase digraph', 'ǅ', 'dž'],
    ['Turkish dotted capital I', 'İstanbul', 'istanbul'],
    ['Turkish dotless i', 'ıstanbul', 'istanbul'],
    ['Turkish word in capitals and in lower case', 'IŞIK', foldCase('Işık')],
    ['i with a redundant dot above, recomposed', 'i\u0307\u0301', 'í'],
    ['digits and punctuation unchanged', '42.a_b-c+d@e', '42.a_b-c+d@e'],
    ['CJK unchanged', '小明', '小明'],
  ])('%s', (_label, input, expected) => {
    expect(foldCase(input)).toBe(expected);
  });

  it('is stable and ignores case on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const folded = foldCase(text);
        expect(foldCase(folded)).toBe(folded);
        expect(foldCase(text.toUpperCase())).toBe(folded);
        expect(foldCase(text.toLowerCase())).toBe(folded);
      }),
      { numRuns: 2000 },
    );
  });

  it('at most doubles the length of a username (the canonical column holds 300)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const nfkc = text.normalize('NFKC');
        expect([...foldCase(nfkc)].length).toBeLessThanOrEqual(2 * [...nfkc].length);
      }),
    );
    expect([...foldCase('ß'.repeat(150))].length).toBe(300);
  });
});

describe('canonicalIdentifier', () => {
  it('folds emails whole (the domain is lower-cased anyway), trimmed', () => {
    expect(canonicalIdentifier('email', ' NewBie@Example.COM ')).toBe('newbie@example.com');
  });

  it('folds usernames by default and keeps their case with caseSensitiveUsernames', () => {
    expect(canonicalIdentifier('username', 'ＡＬＩＣＥ')).toBe('alice');
    expect(canonicalIdentifier('username', 'ＡＬＩＣＥ', { caseSensitiveUsernames: true })).toBe('ALICE');
    expect(canonicalIdentifier('email', 'Bob@X.org', { caseSensitiveUsernames: true })).toBe('bob@x.org');
  });
});
