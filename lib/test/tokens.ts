import { fullAccessActor } from "./actors";

// Tokens that tests write straight into the database need an owner: a token never does more
// than its owner can do now, and one without an owner is refused (lib/data/actors/token.ts).

/** The id of a new person holding every permission in every existing environment and every global one. */
export async function tokenOwnerId(): Promise<string> {
  return (await fullAccessActor()).id;
}
