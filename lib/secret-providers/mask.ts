/** What a sensitive field that is set reads as, everywhere: 8 × U+2022. Pure: forms import it too. */
export const MASK = "••••••••";
