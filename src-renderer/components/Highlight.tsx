/** Marks the words of the current search where they occur in a piece of text. */

/** The words of a search, as the server reads them (src-main/store/text-query.ts). */
export function searchTerms(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replaceAll('"', ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 16);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function Highlight({ text, terms }: { text: string; terms?: readonly string[] }) {
  if (!terms || terms.length === 0) return <>{text}</>;
  // One capture group: split() puts the matches at the odd indexes.
  const parts = text.split(new RegExp(`(${terms.map(escapeRegExp).join('|')})`, 'giu'));
  return <>{parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}</>;
}
