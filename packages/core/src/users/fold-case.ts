/**
 * Unicode case folding for identifiers. JavaScript has no `casefold()`, and `toLowerCase()` is
 * not one: it leaves ß, ẞ, final sigma ς, the iota subscript (ᾳ, U+0345) and Cherokee's two
 * cases apart, which full case folding (Unicode's CaseFolding.txt, statuses C and F) joins.
 *
 * What `foldCase` does, and why:
 * 1. NFKC, so compatibility forms (full-width letters, ligatures, ſ, Kelvin sign) are plain
 *    letters first.
 * 2. Each code point, on its own, goes lower → upper → lower. Mapping code points one at a time
 *    avoids toLowerCase's context rule for a final Σ (so Σ, σ and ς all become σ); going through
 *    upper case brings the characters toLowerCase keeps apart into one class: ß/ẞ → "ss",
 *    ς → σ, U+0345 → ι, ᾈ → ἀι, ᲀ → в, Cherokee small letters → capitals → small. Checked
 *    against Python's `str.casefold()` over every assigned code point (Unicode 14): the
 *    resulting classes are exactly NFKC_Casefold's, except for the Turkish i below.
 * 3. NFKC again (folding can produce sequences that compose, e.g. a decomposed ΐ).
 * 4. Turkish and Azeri i: default (locale-independent) case folding keeps dotless ı apart from
 *    i and folds İ to "i̇" (i + U+0307). Here all of I, i, ı and İ fold to "i" (a redundant dot
 *    above after i is dropped), so a name matches whether it is typed on a Turkish keyboard or
 *    not ("IŞIK" = "Işık", "İstanbul" = "istanbul"), and ı cannot make a look-alike of an
 *    existing name with i. The cost: "ıi" and "ii" are the same name.
 *
 * The result is stable (`foldCase(foldCase(x)) === foldCase(x)`), locale-independent and at most
 * twice as long (in code points) as the NFKC form of its input (ß → ss).
 */
export function foldCase(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFKC')) folded += char.toLowerCase().toUpperCase().toLowerCase();
  folded = folded.normalize('NFKC');
  if (folded.includes('i\u0307')) folded = folded.replaceAll('i\u0307', 'i').normalize('NFKC');
  return folded;
}
