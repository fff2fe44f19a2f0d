/**
 * @module follow-up: what a follow-up question is searched with. People chain questions the way
 * they talk ("what did Putin demand" → "and what did Kerry say?"): the follow-up names what is new,
 * the earlier questions hold what it is about. The follow-up comes first, whole; then the earlier
 * questions, most recent first, so the words they add (the subject, the matter) pull the search
 * toward the same part of the story.
 */

export function chainedQuestion(followUp: string, earlier: readonly string[]): string {
  return [followUp, ...[...earlier].reverse()].map((question) => question.trim()).filter(Boolean).join(' ');
}
